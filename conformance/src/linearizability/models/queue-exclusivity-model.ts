import type { RequirementId } from '../../requirements/requirement-ids.js';
import { UNKNOWN, type Operation, type Unknown } from '../operation.js';
import type { SequentialModel, StepResult } from '../sequential-model.js';
import { stringHash } from '../state-identity.js';

/** A call on a queue surface: enqueue, claim, and the two ends of an attempt. */
export type QueueCall =
  | {
      /** Enqueue a task. */
      readonly op: 'enqueue';
      /** Its payload. */
      readonly payload: unknown;
    }
  | {
      /** Claim tasks. */
      readonly op: 'claim';
      /** The claiming worker. */
      readonly worker: string;
      /** At most this many. */
      readonly limit: number;
    }
  | {
      /** Complete an attempt. */
      readonly op: 'complete';
      /** The task id. */
      readonly id: string;
      /** The attempt's lease token. */
      readonly token: string;
    }
  | {
      /** Fail an attempt. */
      readonly op: 'fail';
      /** The task id. */
      readonly id: string;
      /** The attempt's lease token. */
      readonly token: string;
      /** Whether the task may be retried. */
      readonly retry: boolean;
    };

/** A task handed out by a claim. */
export interface ClaimedAttempt {
  /** The task id. */
  readonly id: string;
  /** The attempt's lease token. */
  readonly token: string;
  /** The attempt's number (1-based). */
  readonly attempt: number;
}

/** What a queue call answered. `error` is any other stateproof error code (always a violation here). */
export type QueueAnswer =
  | {
      /** An enqueue took effect. */
      readonly kind: 'enqueued';
      /** The new task's id. */
      readonly id: string;
    }
  | {
      /** What a claim handed out. */
      readonly kind: 'claimed';
      /** The tasks, possibly none. */
      readonly tasks: readonly ClaimedAttempt[];
    }
  | {
      /** A complete succeeded. */
      readonly kind: 'done';
    }
  | {
      /** A fail succeeded. */
      readonly kind: 'failed-attempt';
      /** The task's state after it. */
      readonly state: 'queued' | 'failed';
    }
  | {
      /** STATEPROOF_LEASE_LOST: the token was not the running attempt's. */
      readonly kind: 'lease-lost';
    }
  | {
      /** Any other stateproof error. */
      readonly kind: 'error';
      /** Its code. */
      readonly code: string;
    };

/**
 * One task. `waiting` is queued for a retry that is not due during the history (the surface's
 * backoff is far longer than a run). `tokens` are every lease token the task ever had.
 */
export interface QueueTaskState {
  /** Where the task is; `absent` before its enqueue. */
  readonly status: 'absent' | 'queued' | 'waiting' | 'running' | 'succeeded' | 'failed';
  /** Attempts started. */
  readonly attempts: number;
  /** The running attempt's lease token; null unless running. */
  readonly token: string | null;
  /** Every lease token the task ever had. */
  readonly tokens: readonly string[];
}

type Step = StepResult<QueueTaskState>;
type Op = Operation<QueueCall, QueueAnswer>;
const bad = (why: string, ...violates: RequirementId[]): Step => ({ ok: false, why, violates });
const show = (v: unknown) => JSON.stringify(v);
const describe = (s: QueueTaskState) =>
  s.status === 'running'
    ? `running attempt ${s.attempts} (token ${s.token})`
    : `${s.status} after ${s.attempts} attempt(s)`;

/**
 * Splits a queue history per task (a claim goes to the task it returned, trimmed to it; a claim
 * that returned nothing, or never returned, touches no task we can name and is dropped, which can
 * only make the check more lenient). Enqueues that never returned go to every task with no known
 * enqueue, since any of them may have created it.
 */
function partitionPerTask(history: readonly Op[]): Op[][] {
  const parts = new Map<string, Op[]>();
  const enqueued = new Set<string>();
  const pendingEnqueues: Op[] = [];
  const add = (id: string, op: Op) => {
    const part = parts.get(id);
    if (part) part.push(op);
    else parts.set(id, [op]);
  };
  for (const op of history) {
    const c = op.input;
    if (op.complete === undefined) {
      if (c.op === 'enqueue') pendingEnqueues.push(op);
      else if (c.op === 'complete' || c.op === 'fail') add(c.id, op);
      continue;
    }
    const a = op.output as QueueAnswer;
    if (c.op === 'complete' || c.op === 'fail') add(c.id, op);
    else if (a.kind === 'enqueued') {
      enqueued.add(a.id);
      add(a.id, op);
    } else if (a.kind === 'claimed') {
      for (const t of a.tasks) add(t.id, { ...op, output: { kind: 'claimed', tasks: [t] } });
    } else if (c.op === 'enqueue') {
      add('(enqueue errors)', op); // a failed enqueue is a violation of its own
    }
  }
  for (const [id, part] of parts) if (!enqueued.has(id)) part.push(...pendingEnqueues);
  return [...parts.values()];
}

function claimed(s: QueueTaskState, t: ClaimedAttempt): Step {
  switch (s.status) {
    case 'queued':
      if (t.attempt !== s.attempts + 1)
        return bad(`the claim started attempt ${t.attempt}, but ${s.attempts} attempt(s) ran before`, 'QUE-008');
      if (s.tokens.includes(t.token)) return bad(`the claim handed out token ${t.token} again`, 'QUE-009');
      return {
        ok: true,
        next: { status: 'running', attempts: t.attempt, token: t.token, tokens: [...s.tokens, t.token] },
      };
    case 'running':
      return bad(`the claim took task ${t.id}, but it is ${describe(s)} under an unexpired lease`, 'QUE-006');
    case 'waiting':
      return bad(`the claim took task ${t.id}, but its retry is not due yet`, 'QUE-004');
    case 'absent':
      return bad(`the claim took task ${t.id} before it was enqueued`, 'QUE-004');
    default:
      return bad(`the claim took task ${t.id}, which is ${s.status} (terminal)`, 'QUE-016');
  }
}

function attemptEnd(
  s: QueueTaskState,
  c: Extract<QueueCall, { op: 'complete' | 'fail' }>,
  a: QueueAnswer | Unknown,
  maxAttempts: number,
): Step {
  const valid = s.status === 'running' && s.token === c.token;
  const retry = c.op === 'fail' && c.retry;
  const retried = retry && s.attempts < maxAttempts;
  const after: QueueTaskState = {
    ...s,
    status: c.op === 'complete' ? 'succeeded' : retried ? 'waiting' : 'failed',
    token: null,
  };
  const rule = c.op === 'complete' ? 'QUE-012' : 'QUE-013';
  if (a === UNKNOWN) return valid ? { ok: true, next: after, others: [s] } : { ok: true, next: s };
  if (a.kind === 'lease-lost')
    return valid
      ? bad(`${c.op} with the running attempt's token was refused as a lost lease`, rule)
      : { ok: true, next: s };
  if (a.kind === (c.op === 'complete' ? 'done' : 'failed-attempt')) {
    if (!valid) return bad(`${c.op} with token ${c.token} went through, but the task is ${describe(s)}`, 'QUE-010');
    if (a.kind === 'failed-attempt' && a.state !== (retried ? 'queued' : 'failed'))
      return bad(
        `fail (retry ${retry}) after attempt ${s.attempts} of ${maxAttempts} left the task ${a.state}`,
        retried ? 'QUE-013' : 'QUE-015',
      );
    return { ok: true, next: after };
  }
  return bad(`${c.op} answered ${show(a)}`, rule);
}

/**
 * The sequential specification of one task of a queue while no lease expires and no retry comes
 * due (spec/contract/queue.md): a task is claimed only while queued (QUE-004, QUE-006), each claim
 * starts the next attempt with a fresh token (QUE-008, QUE-009), and only the running attempt's
 * token completes or fails it (QUE-010, QUE-012, QUE-013, QUE-015). Histories are split per task;
 * claim order across tasks is not checked (an adapter may skip rows locked by a concurrent claim).
 */
export function queueExclusivityModel(options: {
  readonly maxAttempts: number;
}): SequentialModel<QueueTaskState, QueueCall, QueueAnswer> {
  return {
    init: () => ({ status: 'absent', attempts: 0, token: null, tokens: [] }),
    step(s, c, a) {
      switch (c.op) {
        case 'enqueue':
          if (a === UNKNOWN)
            return s.status === 'absent'
              ? { ok: true, next: { ...s, status: 'queued' }, others: [s] }
              : { ok: true, next: s };
          if (a.kind !== 'enqueued') return bad(`enqueue answered ${show(a)}`, 'QUE-001');
          return s.status === 'absent'
            ? { ok: true, next: { ...s, status: 'queued' } }
            : bad(`enqueue returned id ${a.id}, which an existing task has`, 'QUE-001');
        case 'claim': {
          if (a === UNKNOWN) return { ok: true, next: s };
          if (a.kind !== 'claimed') return bad(`claim answered ${show(a)}`, 'QUE-004');
          const t = a.tasks[0];
          return t === undefined ? { ok: true, next: s } : claimed(s, t);
        }
        case 'complete':
        case 'fail':
          return attemptEnd(s, c, a, options.maxAttempts);
      }
    },
    hash: (s) => stringHash(`${s.status}|${s.attempts}|${s.token}|${s.tokens.join(',')}`),
    equal: (x, y) =>
      x.status === y.status &&
      x.attempts === y.attempts &&
      x.token === y.token &&
      x.tokens.length === y.tokens.length &&
      x.tokens.every((t, i) => t === y.tokens[i]),
    partition: partitionPerTask,
    describeOperation(c, a) {
      const what =
        c.op === 'enqueue'
          ? `enqueue(${show(c.payload)})`
          : c.op === 'claim'
            ? `claim(${c.worker}, limit ${c.limit})`
            : c.op === 'complete'
              ? `complete(${c.id}, ${c.token})`
              : `fail(${c.id}, ${c.token}, retry ${c.retry})`;
      if (a === UNKNOWN) return `${what} -> ? (never returned)`;
      const out =
        a.kind === 'enqueued'
          ? a.id
          : a.kind === 'claimed'
            ? `[${a.tasks.map((t) => `${t.id} attempt ${t.attempt} token ${t.token}`).join('; ')}]`
            : a.kind === 'failed-attempt'
              ? a.state
              : a.kind === 'error'
                ? `error ${a.code}`
                : a.kind;
      return `${what} -> ${out}`;
    },
    describeState: describe,
  };
}
