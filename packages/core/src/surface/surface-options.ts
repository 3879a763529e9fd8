import type { TSchema } from '@sinclair/typebox';
import type { DurabilityClass, RetryPolicy } from '@stateproof/spec';
import type { Registry } from '../registry/registry.js';

/** Options every kind takes. */
export interface CommonSurfaceOptions {
  /** The durability class the surface declares (see the taxonomy). */
  readonly durability: DurabilityClass;
  /** Team or component that owns the state. */
  readonly owner?: string;
  /** One line: how the state is recovered after a loss. */
  readonly recovery?: string;
  /** Prose; left out of the fingerprint. */
  readonly description?: string;
  /** `app` (default): shared by every deployment of the app; `deployment`: private to one deployment. */
  readonly scope?: 'app' | 'deployment';
  /** Version of the value contract (default 1); stored values of another version are rejected before decoding. */
  readonly schemaVersion?: number;
  /** Largest encoded value in UTF-8 bytes (default 1 MiB). */
  readonly maxValueBytes?: number;
  /**
   * Derived projections only: the source log, as the surface itself or its id (or `external:<name>`
   * for a source outside the runtime). A telemetry or ephemeral source is refused.
   */
  readonly source?:
    | string
    | {
        /** The source surface's id. */
        readonly id: string;
        /** Its definition. */
        readonly definition: object;
      };
  /** Registry to define the surface in (default: the process-wide registry). */
  readonly registry?: Registry;
}

/** Options of {@link record}. */
export interface RecordOptions<S extends TSchema> extends CommonSurfaceOptions {
  /** Schema of the values. */
  readonly value: S;
  /** Default time to live of a record, in ms. */
  readonly ttlMs?: number;
}

/** Options of {@link log}. */
export interface LogOptions<S extends TSchema> extends CommonSurfaceOptions {
  /** Schema of the entries. */
  readonly value: S;
  /** Retention per stream: keep at most `maxEntries` entries, none older than `maxAgeMs`. Required for telemetry. */
  readonly retention?: {
    /** Keep at most this many entries per stream. */
    readonly maxEntries?: number;
    /** Keep no entry older than this, in ms. */
    readonly maxAgeMs?: number;
  };
  /**
   * Telemetry logs only: the emit buffer (default 10 000 entries) and which entry a full one drops,
   * the one being emitted (`newest`, the default) or the oldest pending one (spec/contract/classes.md, TEL-003).
   */
  readonly telemetry?: {
    /** Entries the emit buffer holds (default 10 000). */
    readonly buffer?: number;
    /** Which entry a full buffer drops (default `newest`). */
    readonly drop?: 'newest' | 'oldest';
  };
}

/** Options of {@link claim}. */
export interface ClaimOptions<S extends TSchema> extends CommonSurfaceOptions {
  /** Schema of the result stored when a claim completes. */
  readonly result: S;
  /** Default lease in ms (default 30 s). */
  readonly leaseMs?: number;
}

/** Options of {@link queue}. */
export interface QueueOptions<P extends TSchema, R extends TSchema> extends CommonSurfaceOptions {
  /** Schema of task payloads. */
  readonly payload: P;
  /** Schema of task results (default: any JSON). */
  readonly result?: R;
  /** Attempts and backoff; missing fields take the defaults. */
  readonly retry?: Partial<RetryPolicy>;
  /** Default lease of an attempt in ms (default 30 s); heartbeats extend it. */
  readonly leaseMs?: number;
  /** Longest an attempt may run, heartbeats included. */
  readonly maxRuntimeMs?: number;
  /** Running attempts allowed across the surface (`global`) and per named queue (`perQueue`). */
  readonly concurrency?: {
    /** Running attempts allowed across the surface. */
    readonly global?: number;
    /** Running attempts allowed per named queue. */
    readonly perQueue?: number;
  };
  /** Attempts kept beside each task (default 20). */
  readonly attemptHistory?: number;
  /**
   * What is kept of finished work: a task that succeeded, failed or was canceled is kept, with its
   * history, result and idempotency key, for `finishedMs` after it finished (default 7 days), then
   * maintenance prunes it in small batches. Its idempotency key dedupes for that long.
   */
  readonly retention?: {
    /** How long a finished task is kept after it finished, in ms (default 7 days). */
    readonly finishedMs?: number;
  };
}

/** Options of {@link dataspace}. */
export interface DataspaceOptions<S extends TSchema> extends CommonSurfaceOptions {
  /** Schema of assertion values. */
  readonly value: S;
  /** Default liveness lease of a session in ms (default 30 s). */
  readonly leaseMs?: number;
  /** What is kept of ended sessions: a closed or expired session is kept `endedSessionsMs` after it ended (default 1 hour), then pruned. */
  readonly retention?: {
    /** How long a closed or expired session is kept after it ended, in ms (default 1 hour). */
    readonly endedSessionsMs?: number;
  };
}

/** Options of {@link channel}. */
export interface ChannelOptions<S extends TSchema> extends CommonSurfaceOptions {
  /** Schema of messages. */
  readonly message: S;
}
