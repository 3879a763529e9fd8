import {
  countReaped,
  emptyReapReport,
  reapAttempt,
  retryDecision,
  type QueueBinding,
  type ReapReport,
  type TaskState,
} from '@stateproof/core/adapter-kit';
import { NOW } from '../db/server-time.js';
import type { PgQueueContext } from './pg-store-context.js';
import { DONE_COLUMNS, historyEnd } from './task-sql.js';

/** Expired attempts one reaper round takes at most (it loops until a round takes fewer). */
const REAP_BATCH = 500;

/**
 * The reaper of a queue surface: ends the expired or overdue attempts of every worker, in rounds,
 * each a conditional update under row locks taken with SKIP LOCKED, so concurrent reapers never
 * count an attempt twice. What becomes of each task is core's decision (reapAttempt, retryDecision).
 */
export async function reapTasks(ctx: PgQueueContext, binding: QueueBinding): Promise<ReapReport> {
  const space = await ctx.spaceId();
  const report = emptyReapReport();
  const max = binding.maxRuntimeMs ?? null;
  for (;;) {
    const taken = await ctx.db.transaction('reaping tasks', async (tx) => {
      // Row locks (SKIP LOCKED) make concurrent reapers take disjoint attempts; the WHERE is re-read under the lock.
      const due = await tx.query<{
        id: string;
        attempts: number;
        max_attempts: number;
        cancel_requested: boolean;
        started_at: string;
        lease_expires_at: string;
        now: string;
      }>(
        `select id, attempts, max_attempts, cancel_requested, started_at, lease_expires_at, ${NOW} as now
         from ${ctx.s}.tasks where space_id = $1 and state = 'running'
           and (lease_expires_at <= ${NOW} or ($2::bigint is not null and started_at + $2::bigint <= ${NOW}))
         order by id limit $3 for update skip locked`,
        [space, max, REAP_BATCH],
      );
      const requeue: Array<{ id: string; delay: number; outcome: string; error: string }> = [];
      const finish: Array<{ id: string; state: TaskState; outcome: string; error: string }> = [];
      for (const t of due) {
        // The WHERE above judged the row under its lock; this names how it ended, by the same clock.
        const reaped = reapAttempt(
          Number(t.started_at),
          Number(t.lease_expires_at),
          Number(t.now),
          binding.maxRuntimeMs,
        );
        if (!reaped) continue;
        const { outcome, error } = reaped;
        const next = t.cancel_requested
          ? ({ state: 'canceled' } as const)
          : retryDecision(binding.retry, Number(t.attempts), Number(t.max_attempts), true, ctx.random);
        if (next.state === 'queued') requeue.push({ id: t.id, delay: next.delayMs, outcome, error });
        else finish.push({ id: t.id, state: next.state, outcome, error });
        countReaped(report, reaped, next.state);
      }
      if (requeue.length > 0) {
        await tx.query(
          `update ${ctx.s}.tasks t set state = 'queued', run_at = ${NOW} + d.delay, token = null, worker = null,
             started_at = null, lease_expires_at = null,
             lost = t.lost + 1, history = ${historyEnd('t', 'd.outcome', 'd.error', '$5')}
           from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) as d(id, delay, outcome, error)
           where t.id = d.id`,
          [
            requeue.map((r) => r.id),
            requeue.map((r) => r.delay),
            requeue.map((r) => r.outcome),
            requeue.map((r) => r.error),
            binding.attemptHistory,
          ],
        );
      }
      if (finish.length > 0) {
        await tx.query(
          `with m as (
             delete from ${ctx.s}.tasks t
             using unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) as d(id, state, outcome, error)
             where t.id = d.id returning t.*, d.state as new_state, d.outcome as new_outcome, d.error as new_error
           )
           insert into ${ctx.s}.tasks_done (${DONE_COLUMNS}, state, lost, history, result, finished_at)
           select ${DONE_COLUMNS}, new_state, lost + 1, ${historyEnd('m', 'm.new_outcome', 'm.new_error', '$5')},
             null, ${NOW}
           from m`,
          [
            finish.map((r) => r.id),
            finish.map((r) => r.state),
            finish.map((r) => r.outcome),
            finish.map((r) => r.error),
            binding.attemptHistory,
          ],
        );
      }
      return due.length;
    });
    if (taken < REAP_BATCH) return report;
  }
}
