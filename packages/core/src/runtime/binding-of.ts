import type { AnyBinding, BindingByKind } from '../adapter/surface-binding.js';
import type { RuntimeScope } from '../scope/runtime-scope.js';
import { scopedSpace } from '../scope/scoped-space.js';
import {
  DEFAULT_ATTEMPT_HISTORY,
  DEFAULT_ENDED_SESSION_RETENTION_MS,
  DEFAULT_FINISHED_RETENTION_MS,
  DEFAULT_LEASE_MS,
  DEFAULT_RETRY,
} from '../surface/defaults.js';
import type { AnySurface } from '../surface/surface.js';

/** The binding type of a surface type: `RecordBinding` for a record surface, and so on. */
export type BindingOf<S extends AnySurface> = BindingByKind[S['kind']];

/**
 * The binding an adapter receives for `surface` under `scope`: its scoped keyspace and the options
 * of its kind, normalised (defaults filled in), and nothing of another kind's.
 */
export function bindingOf<S extends AnySurface>(surface: S, scope: RuntimeScope): BindingOf<S> {
  return kindBinding(surface, scope) as BindingOf<S>;
}

function kindBinding(surface: AnySurface, scope: RuntimeScope): AnyBinding {
  const d = surface.definition;
  const base = { surfaceId: surface.id, class: surface.class, space: scopedSpace(scope, d.scope, surface.id) };
  const { maxEntries, maxAgeMs, ttlMs, attemptHistory, finishedRetentionMs, endedSessionRetentionMs } = d.bounds;
  switch (surface.kind) {
    case 'record':
      return { ...base, kind: 'record', ...(ttlMs === undefined ? {} : { ttlMs }) };
    case 'log':
      if (maxEntries === undefined && maxAgeMs === undefined) return { ...base, kind: 'log' };
      return {
        ...base,
        kind: 'log',
        retention: {
          ...(maxEntries === undefined ? {} : { maxEntries }),
          ...(maxAgeMs === undefined ? {} : { maxAgeMs }),
        },
      };
    case 'queue':
      return {
        ...base,
        kind: 'queue',
        leaseMs: d.options.leaseMs ?? DEFAULT_LEASE_MS,
        ...(d.options.maxRuntimeMs === undefined ? {} : { maxRuntimeMs: d.options.maxRuntimeMs }),
        retry: d.options.retry ?? DEFAULT_RETRY,
        concurrency: d.options.concurrency ?? {},
        attemptHistory: attemptHistory ?? DEFAULT_ATTEMPT_HISTORY,
        retention: { finishedMs: finishedRetentionMs ?? DEFAULT_FINISHED_RETENTION_MS },
      };
    case 'dataspace':
      return {
        ...base,
        kind: 'dataspace',
        retention: { endedSessionsMs: endedSessionRetentionMs ?? DEFAULT_ENDED_SESSION_RETENTION_MS },
      };
    case 'claim':
    case 'channel':
      return { ...base, kind: surface.kind };
  }
}
