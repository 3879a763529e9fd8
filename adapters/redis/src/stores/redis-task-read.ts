import {
  trimHistory,
  type AttemptOutcome,
  type AttemptRecord,
  type TaskInfo,
  type TaskState,
} from '@stateproof/core/adapter-kit';
import { KEY_SEPARATOR } from '../client/key-layout.js';

type Field = string | null;

/**
 * One ended attempt as a task's history list holds it (`push_history` in queue-lua.ts): attempt,
 * worker, start, end and outcome, then the error when there is one. Worker names hold no control
 * characters, so only the error, which comes last, may contain the separator.
 */
export function parseAttempt(entry: string): AttemptRecord {
  const parts = entry.split(KEY_SEPARATOR);
  const error = parts.length > 5 ? parts.slice(5).join(KEY_SEPARATOR) : null;
  return {
    attempt: Number(parts[0]),
    worker: parts[1] as string,
    startedAt: Number(parts[2]),
    endedAt: Number(parts[3]),
    outcome: parts[4] as AttemptOutcome,
    error,
  };
}

/**
 * The task `id` from the reply of QUEUE_GET, with its newest `attemptHistory` attempts, oldest
 * first: the ended ones of its history list, then the one its hash's fields hold (the running
 * attempt, or a succeeded last one).
 */
export function taskFromReply(id: string, reply: ReadonlyArray<Field | string[]>, attemptHistory: number): TaskInfo {
  const f = (i: number) => reply[i] as Field;
  const state = f(1) as TaskState;
  const history = (reply[16] as string[]).map(parseAttempt);
  const startedAt = f(14);
  if (startedAt !== null && (state === 'running' || state === 'succeeded')) {
    const running = state === 'running';
    history.push({
      attempt: Number(f(6)),
      worker: f(13) as string,
      startedAt: Number(startedAt),
      endedAt: running ? null : Number(f(15)),
      outcome: running ? 'running' : 'succeeded',
      error: null,
    });
  }
  return {
    id,
    queue: f(0) as string,
    state,
    payload: f(2) as string,
    priority: Number(f(3)),
    runAt: Number(f(4)),
    enqueuedAt: Number(f(5)),
    attempts: Number(f(6)),
    maxAttempts: Number(f(7)),
    idempotencyKey: f(8),
    cancelRequested: f(9) === '1',
    leaseExpiresAt: state === 'running' && f(10) !== null ? Number(f(10)) : null,
    result: f(11),
    lastError: f(12),
    history: trimHistory(history, attemptHistory),
  };
}
