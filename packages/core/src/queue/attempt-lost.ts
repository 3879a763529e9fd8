import { LeaseLostError, NotFoundError } from '../errors/outcome-errors.js';
import type { TaskState } from '../adapter/queue-store.js';

/** What the lease check of an attempt reads of its task. */
export interface AttemptSnapshot {
  /** The task's state. */
  readonly state: TaskState;
  /** Lease token of the running attempt; null unless running. */
  readonly token: string | null;
  /** Attempts started so far. */
  readonly attempts: number;
  /** Lease end of the running attempt; null unless running. */
  readonly leaseExpiresAt: number | null;
}

/**
 * Why a write of the attempt that `token` names may not go through, judged on a snapshot of its task
 * at `now`: NotFoundError when there is no such task, LeaseLostError when the task does not run that
 * attempt or its lease has expired; undefined when the write may go through. Every heartbeat,
 * complete, fail and cancel acknowledgement is compare-and-set on this (spec/contract/queue.md).
 */
export function attemptLost(
  operation: string,
  id: string,
  token: string,
  task: AttemptSnapshot | null | undefined,
  now: number,
): NotFoundError | LeaseLostError | undefined {
  if (!task) return new NotFoundError(`task ${id}`);
  if (task.state !== 'running' || task.token !== token) {
    return new LeaseLostError(
      `${operation} of task ${id}: the attempt is no longer current (task is ${task.state}, attempt ${task.attempts})`,
    );
  }
  if (now >= (task.leaseExpiresAt as number)) {
    return new LeaseLostError(`${operation} of task ${id}: the lease expired at ${task.leaseExpiresAt}`);
  }
  return undefined;
}
