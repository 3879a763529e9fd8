/** Where a task is in its life. */
export type TaskState = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';

/** The states a task never leaves. */
export const TERMINAL: readonly TaskState[] = ['succeeded', 'failed', 'canceled'];

/** One attempt of a task, as its history reports it. */
export interface Attempt {
  attempt: number;
  worker: string;
  startedAt: number;
  endedAt: number | null;
  outcome: string;
  error: string | null;
}

/** What the queue model knows of one task; the fields that change do so as the model checks operations. */
export interface Task {
  readonly id: string;
  readonly queue: string;
  readonly payload: unknown;
  readonly priority: number;
  readonly seq: number;
  readonly enqueuedAt: number;
  readonly maxAttempts: number;
  readonly idempotencyKey: string | null;
  runAt: number;
  state: TaskState;
  attempts: number;
  cancelRequested: boolean;
  leaseExpiresAt: number | null;
  startedAt: number | null;
  token: string | null;
  /** Every token an attempt of this task was given: a new attempt must get a fresh one. */
  readonly tokens: Set<string>;
  result: unknown;
  lastError: string | null;
  history: Attempt[];
}

/** One task as enqueue is given it. */
export interface EnqueueItem {
  readonly queue: string;
  readonly payload: unknown;
  readonly priority?: number;
  readonly runAt?: number;
  readonly maxAttempts?: number;
  readonly idempotencyKey?: string;
}

/**
 * The task that enqueueing `item` creates with id `id` (the backend's choice): queued, due at its
 * `runAt` or now, with no attempt yet.
 */
export function enqueuedTask(
  id: string,
  item: EnqueueItem,
  seq: number,
  now: number,
  defaultMaxAttempts: number,
): Task {
  return {
    id,
    queue: item.queue,
    payload: item.payload,
    priority: item.priority ?? 0,
    seq,
    enqueuedAt: now,
    maxAttempts: item.maxAttempts ?? defaultMaxAttempts,
    idempotencyKey: item.idempotencyKey ?? null,
    runAt: item.runAt ?? now,
    state: 'queued',
    attempts: 0,
    cancelRequested: false,
    leaseExpiresAt: null,
    startedAt: null,
    token: null,
    tokens: new Set(),
    result: null,
    lastError: null,
    history: [],
  };
}
