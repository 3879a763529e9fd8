import type { ManifestDocument } from '@stateproof/spec';
import { CODEC_ID } from '../codec/envelope.js';
import { ValueCodec } from '../codec/value-codec.js';
import type { RuntimeScope } from '../scope/runtime-scope.js';
import type { AnySurface } from '../surface/surface.js';
import type { Clock } from '../time/clock.js';
import { HandleContext } from './handle-context.js';
import { ChannelHandle } from './handles/channel-handle.js';
import { ClaimHandle } from './handles/claim-handle.js';
import { DataspaceHandle } from './handles/dataspace-handle.js';
import { LogHandle } from './handles/log-handle.js';
import { QueueHandle } from './handles/queue-handle.js';
import { RecordHandle } from './handles/record-handle.js';
import type { ViolationReporter } from './violation-reporter.js';

/** The value roles of each kind: one codec per role. */
const ROLES = {
  record: ['value'],
  log: ['value'],
  claim: ['result'],
  queue: ['payload', 'result'],
  dataspace: ['value'],
  channel: ['message'],
} as const;

/** What every handle of a runtime is built from, besides its surface and store. */
export interface HandleDeps {
  readonly scope: RuntimeScope;
  readonly manifest: ManifestDocument;
  readonly reporter: ViolationReporter;
  readonly clock: Clock;
  /** The optional features the adapter claims for `kind`. */
  features(kind: AnySurface['kind']): Readonly<Record<string, boolean | undefined>>;
}

/**
 * The codecs of `surface`, one per value role, writing and checking the envelope of this runtime's
 * scope and fingerprint: what its handles and its projector encode and decode with.
 */
export function codecsOf(
  surface: AnySurface,
  deps: HandleDeps,
): Partial<Record<'value' | 'payload' | 'result' | 'message', ValueCodec<unknown>>> {
  const d = surface.definition;
  const codecs: Partial<Record<'value' | 'payload' | 'result' | 'message', ValueCodec<unknown>>> = {};
  for (const role of ROLES[surface.kind]) {
    codecs[role] = new ValueCodec({
      envelope: {
        codec: CODEC_ID,
        kind: surface.kind,
        surface: surface.id,
        app: deps.scope.app,
        deployment: deps.scope.deployment,
        fingerprint: deps.manifest.fingerprint,
        schemaVersion: d.schemaVersion,
      },
      level: d.scope,
      maxValueBytes: d.bounds.maxValueBytes,
      validate: surface.validators[role],
      reporter: deps.reporter,
      role,
    });
  }
  return codecs;
}

/** The typed handle of `surface` over its (guarded) store (a write to a derived projection is refused). */
export function createHandle(surface: AnySurface, store: Promise<unknown>, deps: HandleDeps): unknown {
  const ctx = new HandleContext<never>(
    surface,
    store as Promise<never>,
    codecsOf(surface, deps),
    deps.reporter,
    deps.clock,
    deps.features(surface.kind),
  );
  switch (surface.kind) {
    case 'record':
      return new RecordHandle(ctx);
    case 'log':
      return new LogHandle(ctx);
    case 'claim':
      return new ClaimHandle(ctx);
    case 'queue':
      return new QueueHandle(ctx);
    case 'dataspace':
      return new DataspaceHandle(ctx);
    case 'channel':
      return new ChannelHandle(ctx);
  }
}
