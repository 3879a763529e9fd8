import type { TaskState } from '../adapter/queue-store.js';
import { InvalidTransitionError } from '../errors/outcome-errors.js';

/**
 * What a cancel does to a task in `state`: a queued task is canceled at once, a running one gets a
 * cancel request (its worker sees it in the next heartbeat reply), a finished one stays as it is.
 */
export function cancelDecision(state: TaskState): 'cancel' | 'request' | 'none' {
  if (state === 'queued') return 'cancel';
  if (state === 'running') return 'request';
  return 'none';
}

/** The refusal of a cancel acknowledgement for task `id`, which has no cancel request. */
export function noCancelRequest(id: string): InvalidTransitionError {
  return new InvalidTransitionError(`task ${id} has no cancel request to acknowledge`);
}
