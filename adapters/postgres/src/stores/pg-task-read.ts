import { trimHistory, type AttemptRecord, type TaskInfo, type TaskState } from '@stateproof/core/adapter-kit';
import type { Row } from '../db/pg-database.js';
import type { PgStoreContext } from './pg-store-context.js';

const num = (v: unknown): number => Number(v);

/** Task `tid` of surface `space` as stored (from either table) with its newest `attemptHistory` attempts, or null. */
export async function readTask(
  ctx: PgStoreContext,
  space: number,
  tid: string,
  attemptHistory: number,
): Promise<TaskInfo | null> {
  const rows = await ctx.db.query(
    'reading a task',
    `select id, queue, state, payload, priority, run_at, enqueued_at, attempts, max_attempts, idempotency_key,
            cancel_requested, lease_expires_at, null::text as result, last_error, history,
            worker, started_at, null::bigint as ended_at
     from ${ctx.s}.tasks where space_id = $1 and id = $2
     union all
     select id, queue, state, payload, priority, run_at, enqueued_at, attempts, max_attempts, idempotency_key,
            cancel_requested, null, result, last_error, history,
            last_worker, last_started_at, finished_at
     from ${ctx.s}.tasks_done where space_id = $1 and id = $2`,
    [space, tid],
    { idempotent: true },
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: String(r['id']),
    queue: r['queue'] as string,
    state: r['state'] as TaskState,
    payload: r['payload'] as string,
    priority: num(r['priority']),
    runAt: num(r['run_at']),
    enqueuedAt: num(r['enqueued_at']),
    attempts: num(r['attempts']),
    maxAttempts: num(r['max_attempts']),
    idempotencyKey: (r['idempotency_key'] as string | null) ?? null,
    cancelRequested: r['cancel_requested'] === true,
    leaseExpiresAt: r['lease_expires_at'] === null ? null : num(r['lease_expires_at']),
    result: (r['result'] as string | null) ?? null,
    lastError: (r['last_error'] as string | null) ?? null,
    history: attemptsOf(r, attemptHistory),
  };
}

/**
 * The newest attempts of a row of either table, oldest first: the ended ones of `history`, then
 * the one its columns hold (a running attempt, or a succeeded last one), at most attemptHistory.
 */
function attemptsOf(r: Row, keep: number): AttemptRecord[] {
  const history: AttemptRecord[] = (r['history'] as AttemptRecord[]).map((a) => ({ ...a }));
  if (r['started_at'] !== null) {
    // A process of schema version 1 (during an upgrade) writes the running attempt into the history too.
    if (history.at(-1)?.outcome === 'running') history.pop();
    const ended = r['ended_at'] !== null;
    history.push({
      attempt: num(r['attempts']),
      worker: r['worker'] as string,
      startedAt: num(r['started_at']),
      endedAt: ended ? num(r['ended_at']) : null,
      outcome: ended ? 'succeeded' : 'running',
      error: null,
    });
  }
  return trimHistory(history, keep);
}
