import type { DurabilityClass, RetryPolicy, SurfaceKind } from '@stateproof/spec';

/**
 * What an adapter receives when the runtime opens a store for one surface. `space` is the scoped
 * keyspace built centrally by core from `{namespace, app, deployment}` and the surface id: every
 * backend key of the surface MUST live under it, and two surfaces never share one. It contains no
 * control characters and none of `* ? [ ] \ :` except the `:` separators, so it can be used as a
 * literal prefix in key patterns.
 */
export interface SurfaceBinding {
  readonly surfaceId: string;
  readonly kind: SurfaceKind;
  readonly class: DurabilityClass;
  /** The scoped keyspace of this surface (see {@link scopedSpace}). */
  readonly space: string;
  /** Default record TTL in ms (records), when the surface declares one. */
  readonly ttlMs?: number;
  /** Log retention per stream (logs). */
  readonly retention?: { readonly maxEntries?: number; readonly maxAgeMs?: number };
  /** Default lease of claims, queue attempts and dataspace sessions, in ms. */
  readonly leaseMs: number;
  /** Queue: the longest an attempt may run, heartbeats included. */
  readonly maxRuntimeMs?: number;
  /** Queue retry policy (defaults filled in). */
  readonly retry: RetryPolicy;
  /** Queue concurrency limits: running attempts across the surface, and per named queue. */
  readonly concurrency: { readonly global?: number; readonly perQueue?: number };
  /** Queue: attempts kept beside each task (newest kept). */
  readonly attemptHistory: number;
}
