import type { SurfaceBinding } from '../adapter/surface-binding.js';
import type { RuntimeScope } from '../scope/runtime-scope.js';
import { scopedSpace } from '../scope/scoped-space.js';
import { DEFAULT_ATTEMPT_HISTORY, DEFAULT_LEASE_MS, DEFAULT_RETRY } from '../surface/defaults.js';
import type { AnySurface } from '../surface/surface.js';

/** The binding an adapter receives for `surface` under `scope`: its scoped keyspace and its normalised options. */
export function bindingOf(surface: AnySurface, scope: RuntimeScope): SurfaceBinding {
  const d = surface.definition;
  const { maxEntries, maxAgeMs, ttlMs, attemptHistory } = d.bounds;
  return {
    surfaceId: surface.id,
    kind: surface.kind,
    class: surface.class,
    space: scopedSpace(scope, d.scope, surface.id),
    ...(ttlMs === undefined ? {} : { ttlMs }),
    ...(maxEntries === undefined && maxAgeMs === undefined
      ? {}
      : { retention: { ...(maxEntries === undefined ? {} : { maxEntries }), ...(maxAgeMs === undefined ? {} : { maxAgeMs }) } }),
    leaseMs: d.options.leaseMs ?? DEFAULT_LEASE_MS,
    ...(d.options.maxRuntimeMs === undefined ? {} : { maxRuntimeMs: d.options.maxRuntimeMs }),
    retry: d.options.retry ?? DEFAULT_RETRY,
    concurrency: d.options.concurrency ?? {},
    attemptHistory: attemptHistory ?? DEFAULT_ATTEMPT_HISTORY,
  };
}
