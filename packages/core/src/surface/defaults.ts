import type { RetryPolicy } from '@stateproof/spec';

/** Largest encoded value when a surface does not say: 1 MiB. */
export const DEFAULT_MAX_VALUE_BYTES = 1_048_576;
/** Default lease of claims, queue attempts and dataspace sessions: 30 s. */
export const DEFAULT_LEASE_MS = 30_000;
/** Default attempts kept beside a task. */
export const DEFAULT_ATTEMPT_HISTORY = 20;
/**
 * How long a finished task (succeeded, failed or canceled), with its attempt history, result and
 * idempotency key, is kept after it finished when its queue does not say: 7 days, pg-boss's default.
 * Its idempotency key dedupes for as long (QUE-037).
 */
export const DEFAULT_FINISHED_RETENTION_MS = 7 * 24 * 3_600_000;
/** How long a closed or expired dataspace session is kept after it ended when its dataspace does not say: 1 hour. */
export const DEFAULT_ENDED_SESSION_RETENTION_MS = 3_600_000;
/**
 * Pruning is done in small batches so that no statement holds locks for long beside the hot path:
 * at most this many rows per call. A maintenance pass goes on calling while calls come back full,
 * for at most {@link PRUNE_PASS_BUDGET_MS} per surface (what is left waits for the next pass), so a
 * queue that finishes more tasks a second than one batch keeps up, and a long backlog is worked off
 * without one pass running for minutes.
 */
export const PRUNE_BATCH = 500;
/** Time one maintenance pass may spend pruning one surface, in ms (see {@link PRUNE_BATCH}). */
export const PRUNE_PASS_BUDGET_MS = 500;
/** Prune calls per surface per pass at most, whatever the time budget: a bound on one pass's work. */
export const PRUNE_BATCHES_PER_PASS = 200;
/** Default retry policy of a queue (the backoff formula is pinned in the queue contract). */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 1_000,
  factor: 2,
  maxDelayMs: 3_600_000,
  jitter: 0.2,
};
/** Largest page of a list or read. */
export const MAX_PAGE = 1000;
/**
 * The emit buffer of a telemetry log when it does not declare one: 10 000 entries, and a full buffer
 * drops the entry being emitted (spec/contract/classes.md, TEL-003). Logs of other classes that
 * emit get the same buffer.
 */
export const DEFAULT_TELEMETRY = {
  /** Entries the buffer holds. */
  buffer: 10_000,
  /** A full buffer drops the entry being emitted. */
  drop: 'newest',
} as const satisfies {
  readonly buffer: number;
  readonly drop: 'newest' | 'oldest';
};
