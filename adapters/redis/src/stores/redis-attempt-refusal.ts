import { attemptLost, type AttemptSnapshot, type TaskState } from '@stateproof/core/adapter-kit';

/** A reply of a queue script: strings, integers, nulls and nested replies. */
export type QueueReply = Array<string | number | null | QueueReply>;

/**
 * Whether `reply` is a refusal of an attempt's write (see `refusal` in queue-lua.ts):
 * `{'refused', state|null, token matches 1|0, attempts, leaseExpiresAt|null, now}`.
 */
export function isRefusal(reply: unknown): reply is QueueReply {
  return Array.isArray(reply) && reply[0] === 'refused';
}

/**
 * The error of a refused write of the attempt `token` names: core's attemptLost judged on the
 * snapshot the script took at the instant it judged (NotFoundError or LeaseLostError, as every
 * adapter words them). The script holds no token of another attempt in its reply: only whether
 * `token` was the running one.
 */
export function refusalError(operation: string, id: string, token: string, reply: QueueReply): Error {
  const state = reply[1] as TaskState | null;
  const snapshot: AttemptSnapshot | null =
    state === null
      ? null
      : {
          state,
          token: reply[2] === 1 ? token : null,
          attempts: Number(reply[3]),
          leaseExpiresAt: reply[4] === null || reply[4] === undefined ? null : Number(reply[4]),
        };
  const now = Number(reply[5] ?? 0);
  return (
    attemptLost(operation, id, token, snapshot, now) ??
    new Error(`internal: the ${operation} script of task ${id} refused an attempt that core finds valid`)
  );
}
