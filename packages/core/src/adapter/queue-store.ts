import type { ReapReport } from '../queue/reap-report.js';

/** States of a task. `succeeded`, `failed` and `canceled` are terminal and final. */
export type TaskState = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';

/** How one attempt ended (or `running` while it runs). */
export type AttemptOutcome = 'running' | 'succeeded' | 'failed' | 'lost' | 'timed-out' | 'canceled';

/** One attempt, kept in the bounded history beside its task. */
export interface AttemptRecord {
  /** 1, 2, 3, … without gaps. */
  readonly attempt: number;
  /** The worker that ran it. */
  readonly worker: string;
  /** When it started (epoch ms). */
  readonly startedAt: number;
  /** When it ended (epoch ms); null while it runs. */
  readonly endedAt: number | null;
  /** How it ended. */
  readonly outcome: AttemptOutcome;
  /** The error it failed with, if it failed. */
  readonly error: string | null;
}

/** A task to enqueue. */
export interface EnqueueSpec {
  /** Named queue within the surface. */
  readonly queue: string;
  /** Encoded payload. */
  readonly payload: string;
  /** Higher runs first; integer; default 0. */
  readonly priority?: number;
  /** Not claimable before this instant (epoch ms); default now. */
  readonly runAt?: number;
  /** Overrides the surface retry policy's maxAttempts. */
  readonly maxAttempts?: number;
  /** A second enqueue with the same key returns the first task instead of creating one. */
  readonly idempotencyKey?: string;
}

/** A task handed to a worker by {@link QueueStore.claim}. */
export interface ClaimedTask {
  /** The task id. */
  readonly id: string;
  /** Its named queue. */
  readonly queue: string;
  /** Encoded payload. */
  readonly payload: string;
  /** Its priority; higher runs first. */
  readonly priority: number;
  /** This attempt's number (1-based). */
  readonly attempt: number;
  /** Attempts allowed in all. */
  readonly maxAttempts: number;
  /** Lease token of this attempt; every later write of the attempt is compare-and-set on it. */
  readonly token: string;
  /** When this attempt's lease ends unless extended (epoch ms). */
  readonly leaseExpiresAt: number;
  /** When the task was enqueued (epoch ms). */
  readonly enqueuedAt: number;
}

/** A task as stored. */
export interface TaskInfo {
  /** The task id. */
  readonly id: string;
  /** Its named queue. */
  readonly queue: string;
  /** Its state. */
  readonly state: TaskState;
  /** Encoded payload. */
  readonly payload: string;
  /** Its priority; higher runs first. */
  readonly priority: number;
  /** Not claimable before this instant (epoch ms); after a failure, when the retry is due. */
  readonly runAt: number;
  /** When it was enqueued (epoch ms). */
  readonly enqueuedAt: number;
  /** Attempts started so far. */
  readonly attempts: number;
  /** Attempts allowed in all. */
  readonly maxAttempts: number;
  /** The idempotency key it was enqueued with, if any. */
  readonly idempotencyKey: string | null;
  /** True when a cancel was requested while the task ran. */
  readonly cancelRequested: boolean;
  /** Lease end of the running attempt; null unless running. */
  readonly leaseExpiresAt: number | null;
  /** Encoded result of a succeeded task. */
  readonly result: string | null;
  /** The error of the last failed attempt, if any. */
  readonly lastError: string | null;
  /** The newest attempts, oldest first, at most the surface's attemptHistory. */
  readonly history: readonly AttemptRecord[];
}

/** Counters of a queue surface. */
export interface QueueCounters {
  /** Tasks queued now (due or not). */
  readonly queued: number;
  /** Tasks running now. */
  readonly running: number;
  /** Tasks that ever succeeded. */
  readonly succeeded: number;
  /** Tasks that ever failed terminally. */
  readonly failed: number;
  /** Tasks that were ever canceled. */
  readonly canceled: number;
  /** Attempts that ended lost or timed out (reaped). */
  readonly lost: number;
}

/** Options of {@link QueueStore.claim}. */
export interface QueueClaimOptions {
  /** The claiming worker's name, kept in the attempt history. */
  readonly worker: string;
  /** Named queues to take from; empty means every queue. */
  readonly queues: readonly string[];
  /** At most this many tasks (1..1000). */
  readonly limit: number;
  /** Lease of each attempt. */
  readonly leaseMs: number;
}

/** What enqueuing one task answers. */
export interface EnqueueResult {
  /** The task's id (the existing task's when deduped). */
  readonly id: string;
  /** Whether an existing task with the same idempotency key was returned instead. */
  readonly deduped: boolean;
}

/** What a heartbeat answers. */
export interface HeartbeatResult {
  /** The new end of the lease (epoch ms). */
  readonly leaseExpiresAt: number;
  /** Whether a cancel was requested; the worker should stop and acknowledge it. */
  readonly cancelRequested: boolean;
}

/** What failing an attempt did: re-queued for another attempt, or failed the task for good. */
export type FailResult =
  | {
      /** Re-queued for another attempt. */
      readonly state: 'queued';
      /** When the retry is due (epoch ms). */
      readonly runAt: number;
    }
  | {
      /** Failed terminally. */
      readonly state: 'failed';
    };

/** What a cancel did: the task's state after it, and whether it waits for the running attempt. */
export interface CancelResult {
  /** The task's state after the call. */
  readonly state: TaskState;
  /** Whether a cancel waits for the running attempt to acknowledge it. */
  readonly cancelRequested: boolean;
}

/**
 * At-least-once tasks with leases (spec/contract/queue.md).
 *
 * - `claim` takes only queued tasks with `runAt <= now`, ordered by priority (higher first), then
 *   runAt, then enqueue order, within the global and per-queue concurrency limits; it starts attempt
 *   n+1 and returns a fresh lease token. A task with an unexpired lease is never claimed.
 * - `heartbeat`, `complete`, `fail` and `acknowledgeCancel` are compare-and-set on the attempt's
 *   token: a token that is not the running attempt's, or whose lease expired, throws LeaseLostError.
 * - `fail` re-queues with the pinned backoff (see {@link adapter-kit!backoffDelay | backoffDelay}) while
 *   attempts remain, else the task fails; `reap` does the same for expired leases (outcome `lost`) and
 *   attempts past maxRuntimeMs (`timed-out`), for every worker, conditionally and idempotently.
 */
export interface QueueStore {
  /** Enqueues one task; `deduped` when an existing task has the same idempotency key. */
  enqueue(spec: EnqueueSpec): Promise<EnqueueResult>;
  /** Enqueues atomically: all or none. */
  enqueueMany(specs: readonly EnqueueSpec[]): Promise<EnqueueResult[]>;
  /** Starts an attempt on up to `limit` due tasks, in claim order, each with a fresh lease token. */
  claim(options: QueueClaimOptions): Promise<ClaimedTask[]>;
  /** Extends the lease (capped at the attempt's start + maxRuntimeMs) and says whether a cancel was requested. */
  heartbeat(id: string, token: string, leaseMs: number): Promise<HeartbeatResult>;
  /** The attempt succeeded; the task is terminal with the encoded result (or null). */
  complete(id: string, token: string, result: string | null): Promise<void>;
  /** The attempt failed; retried with backoff unless attempts are exhausted or `retry` is false. */
  fail(id: string, token: string, error: string, options?: { readonly retry?: boolean }): Promise<FailResult>;
  /**
   * Queued → canceled at once; running → cancel requested (delivered by the next heartbeat);
   * terminal → unchanged. Returns the state after the call. Unknown id → NotFoundError.
   */
  cancel(id: string): Promise<CancelResult>;
  /** The worker acknowledges a requested cancel: the task is canceled. Without a request → InvalidTransitionError. */
  acknowledgeCancel(id: string, token: string): Promise<void>;
  /** Ends expired and overdue attempts of every worker; returns what it did. */
  reap(): Promise<ReapReport>;
  /**
   * Removes at most `limit` finished tasks (succeeded, failed, canceled) whose retention ended: those
   * that finished at or before now − `binding.retention.finishedMs` (see `finishedRetentionCutoff`),
   * with their attempt history, result and idempotency key. Never a queued or running task, never one
   * still within its window; the counters keep counting what was pruned. Returns how many it removed;
   * fewer than `limit` means nothing else is due. Maintenance calls it in small batches (QUE-037, QUE-038).
   */
  prune(limit: number): Promise<number>;
  /** The stored task, or null when there is none. */
  get(id: string): Promise<TaskInfo | null>;
  /** The counters of the surface. */
  counters(): Promise<QueueCounters>;
}
