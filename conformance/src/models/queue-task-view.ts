import type { RequirementId } from '../requirements/requirement-ids.js';
import { TERMINAL, type Task } from './queue-task.js';

/** What `get` must report of task `t`, field by field, with the last `attemptHistory` attempts. */
export function expectedTaskView(t: Task, attemptHistory: number): Record<string, unknown> {
  return {
    id: t.id,
    queue: t.queue,
    state: t.state,
    payload: t.payload,
    priority: t.priority,
    runAt: t.runAt,
    enqueuedAt: t.enqueuedAt,
    attempts: t.attempts,
    maxAttempts: t.maxAttempts,
    idempotencyKey: t.idempotencyKey,
    cancelRequested: t.cancelRequested,
    leaseExpiresAt: t.leaseExpiresAt,
    result: t.result,
    lastError: t.lastError,
    history: t.history.slice(-attemptHistory),
  };
}

/** The requirement that a wrong `field` in the `get` of task `t` breaks. */
export function taskFieldRequirement(field: string, t: Task): RequirementId {
  if (field === 'history') return 'QUE-026';
  if (field === 'state' && TERMINAL.includes(t.state)) return 'QUE-016';
  return field === 'lastError' ? 'QUE-017' : 'QUE-001';
}
