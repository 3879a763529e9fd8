import { Type } from '@sinclair/typebox';
import {
  claim,
  dataspace,
  log,
  queue,
  record,
  type AnySurface,
  type ClaimSurface,
  type DataspaceSurface,
  type LogSurface,
  type QueueSurface,
  type RecordSurface,
  type Registry,
} from '@stateproof/core';
import type { DurabilityClass, SurfaceKind } from '@stateproof/spec';

/** The surfaces every crash worker and the harness's verifier define, one per kind. */
export interface CrashSurfaces {
  /** For a derived-projection run: the authoritative log the projections fold. */
  readonly source: LogSurface<unknown>;
  /** The record surface (a projection in a derived-projection run). */
  readonly record: RecordSurface<unknown>;
  /** The log surface (a projection in a derived-projection run). */
  readonly log: LogSurface<unknown>;
  /** The claim surface. */
  readonly claim: ClaimSurface<unknown>;
  /** The queue surface. */
  readonly queue: QueueSurface<number, unknown>;
  /** The dataspace surface. */
  readonly dataspace: DataspaceSurface<unknown>;
}

/**
 * Defines the crash surfaces of `kinds` in `registry`, all of class `cls`, with leases of `leaseMs`.
 * For `derived-projection`, the record and log surfaces are projections of a source log of class
 * `sourceClass` (an authoritative class the adapter hosts), which the workers append to.
 */
export function defineCrashSurfaces(
  registry: Registry,
  cls: DurabilityClass,
  kinds: readonly SurfaceKind[],
  leaseMs: number,
  sourceClass?: DurabilityClass,
): {
  /** The surfaces defined, by kind. */
  surfaces: Partial<CrashSurfaces>;
  /** The same, as a list for openRuntime. */
  list: AnySurface[];
} {
  const s: { -readonly [K in keyof CrashSurfaces]?: CrashSurfaces[K] } = {};
  if (cls === 'derived-projection') {
    if (!sourceClass) throw new Error('internal: a derived-projection crash run needs the class of its source');
    const source = log('crash.source', {
      durability: sourceClass,
      value: Type.Unknown(),
      registry,
    }) as LogSurface<unknown>;
    s.source = source;
    if (kinds.includes('record'))
      s.record = record('crash.record', {
        durability: cls,
        source,
        value: Type.Unknown(),
        registry,
      }) as RecordSurface<unknown>;
    if (kinds.includes('log'))
      s.log = log('crash.log', { durability: cls, source, value: Type.Unknown(), registry }) as LogSurface<unknown>;
    return { surfaces: s, list: Object.values(s) as AnySurface[] };
  }
  if (kinds.includes('record'))
    s.record = record('crash.record', { durability: cls, value: Type.Unknown(), registry }) as RecordSurface<unknown>;
  if (kinds.includes('log'))
    s.log = log('crash.log', { durability: cls, value: Type.Unknown(), registry }) as LogSurface<unknown>;
  if (kinds.includes('claim'))
    s.claim = claim('crash.claim', {
      durability: cls,
      result: Type.Unknown(),
      leaseMs,
      registry,
    }) as ClaimSurface<unknown>;
  if (kinds.includes('queue')) {
    s.queue = queue('crash.queue', {
      durability: cls,
      payload: Type.Integer(),
      result: Type.Unknown(),
      leaseMs,
      retry: { maxAttempts: 50, baseDelayMs: 1, maxDelayMs: 5 },
      // Above what the workers ever hold at once (three live ones claim two each, a dead one's
      // attempts until reaped), so it never slows them; it makes the claims count running attempts,
      // which a kill must never leave counted (the drain reports a queue it blocks).
      concurrency: { global: CRASH_QUEUE_CONCURRENCY },
      attemptHistory: 100,
      registry,
    }) as QueueSurface<number, unknown>;
  }
  if (kinds.includes('dataspace'))
    s.dataspace = dataspace('crash.dataspace', {
      durability: cls,
      value: Type.Unknown(),
      leaseMs,
      registry,
    }) as DataspaceSurface<unknown>;
  return { surfaces: s, list: Object.values(s) as AnySurface[] };
}

/** The global concurrency limit of the crash queue surface. */
export const CRASH_QUEUE_CONCURRENCY = 16;

/** The kinds the crash harness exercises (a channel promises nothing across a crash). */
export const CRASH_KINDS: readonly SurfaceKind[] = ['record', 'log', 'claim', 'queue', 'dataspace'];
