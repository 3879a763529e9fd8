import type { DurabilityClass, RetryPolicy, SurfaceKind } from '@stateproof/spec';

/**
 * What every binding has, whatever the kind: what an adapter receives when the runtime opens a
 * store for one surface. `space` is the scoped keyspace built centrally by core from
 * `{namespace, app, deployment}` and the surface id: every backend key of the surface MUST live
 * under it, and two surfaces never share one. It contains no control characters and none of
 * `* ? [ ] \ :` except the `:` separators, so it can be used as a literal prefix in key patterns.
 */
export interface SurfaceBinding<K extends SurfaceKind = SurfaceKind> {
  readonly surfaceId: string;
  readonly kind: K;
  readonly class: DurabilityClass;
  /** The scoped keyspace of this surface (see {@link scopedSpace}). */
  readonly space: string;
}

/** The binding of a record surface. */
export interface RecordBinding extends SurfaceBinding<'record'> {
  /** Default TTL in ms of the surface's records, when it declares one. */
  readonly ttlMs?: number;
}

/** The binding of a log surface. */
export interface LogBinding extends SurfaceBinding<'log'> {
  /** Retention per stream, when the surface declares one. */
  readonly retention?: { readonly maxEntries?: number; readonly maxAgeMs?: number };
}

/** The binding of a claim surface (leases come with each acquire and renew). */
export type ClaimBinding = SurfaceBinding<'claim'>;

/** The binding of a queue surface: its attempt bounds and retry policy, defaults filled in. */
export interface QueueBinding extends SurfaceBinding<'queue'> {
  /** Default lease of an attempt, in ms. */
  readonly leaseMs: number;
  /** The longest an attempt may run, heartbeats included. */
  readonly maxRuntimeMs?: number;
  /** Retry policy of failed, lost and timed-out attempts. */
  readonly retry: RetryPolicy;
  /** Concurrency limits: running attempts across the surface, and per named queue. */
  readonly concurrency: { readonly global?: number; readonly perQueue?: number };
  /** Attempts kept beside each task (the newest are kept). */
  readonly attemptHistory: number;
}

/** The binding of a dataspace surface (session leases come with each open and heartbeat). */
export type DataspaceBinding = SurfaceBinding<'dataspace'>;

/** The binding of a channel surface. */
export type ChannelBinding = SurfaceBinding<'channel'>;

/** The binding of each kind, by kind. */
export interface BindingByKind {
  readonly record: RecordBinding;
  readonly log: LogBinding;
  readonly claim: ClaimBinding;
  readonly queue: QueueBinding;
  readonly dataspace: DataspaceBinding;
  readonly channel: ChannelBinding;
}

/** A binding of any kind. */
export type AnyBinding = BindingByKind[SurfaceKind];
