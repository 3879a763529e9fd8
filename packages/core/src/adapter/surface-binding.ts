import type { DurabilityClass, RetryPolicy, SurfaceKind } from '@stateproof/spec';

/**
 * What every binding has, whatever the kind: what an adapter receives when the runtime opens a
 * store for one surface. `space` is the scoped keyspace built centrally by core from
 * `{namespace, app, deployment}` and the surface id: every backend key of the surface MUST live
 * under it, and two surfaces never share one. It contains no control characters and none of
 * `* ? [ ] \ :` except the `:` separators, so it can be used as a literal prefix in key patterns.
 */
export interface SurfaceBinding<K extends SurfaceKind = SurfaceKind> {
  /** The surface id. */
  readonly surfaceId: string;
  /** The surface kind. */
  readonly kind: K;
  /** The surface's durability class. */
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
  readonly retention?: {
    /** Keep at most this many entries per stream. */
    readonly maxEntries?: number;
    /** Keep no entry older than this, in ms. */
    readonly maxAgeMs?: number;
  };
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
  readonly concurrency: {
    /** Running attempts allowed across the surface. */
    readonly global?: number;
    /** Running attempts allowed per named queue. */
    readonly perQueue?: number;
  };
  /** Attempts kept beside each task (the newest are kept). */
  readonly attemptHistory: number;
  /** What is kept of finished tasks (the default filled in). */
  readonly retention: {
    /** A finished task is kept this long after it finished, in ms; then `prune` may remove it. */
    readonly finishedMs: number;
  };
}

/** The binding of a dataspace surface (session leases come with each open and heartbeat). */
export interface DataspaceBinding extends SurfaceBinding<'dataspace'> {
  /** What is kept of ended sessions (the default filled in). */
  readonly retention: {
    /** A closed or expired session is kept this long after it ended, in ms; then `prune` may remove it. */
    readonly endedSessionsMs: number;
  };
}

/** The binding of a channel surface. */
export type ChannelBinding = SurfaceBinding<'channel'>;

/** The binding of each kind, by kind. */
export interface BindingByKind {
  /** A record surface's binding. */
  readonly record: RecordBinding;
  /** A log surface's binding. */
  readonly log: LogBinding;
  /** A claim surface's binding. */
  readonly claim: ClaimBinding;
  /** A queue surface's binding. */
  readonly queue: QueueBinding;
  /** A dataspace surface's binding. */
  readonly dataspace: DataspaceBinding;
  /** A channel surface's binding. */
  readonly channel: ChannelBinding;
}

/** A binding of any kind. */
export type AnyBinding = BindingByKind[SurfaceKind];
