import { NOW } from '../db/server-time.js';
import type { PgQueueContext } from './pg-store-context.js';

/**
 * Retention of a queue surface's finished tasks in Postgres (spec/contract/queue.md QUE-037,
 * QUE-038), one statement: it picks at most `limit` rows of `tasks_done` of the surface that
 * finished at or before NOW − `finishedMs` (oldest first, by the index `tasks_done_finished`,
 * skipping rows another prune holds), deletes them with their history and result, deletes the
 * idempotency keys that still name them (a key row names the task that owns it: one naming another
 * task is left alone), and adds their states and lost attempts to the surface's row of
 * `task_tallies`, which counters() adds to what `tasks_done` still holds. One statement is one
 * transaction, so a reader sees a pruned task either counted in `tasks_done` or in the tally, never
 * both nor neither. Ids come from a sequence and are never handed out again. Returns how many went.
 * `instant` is the column the window counts from (when the task finished); a seam for the mutants.
 */
export async function pruneFinishedTasks(
  ctx: PgQueueContext,
  finishedMs: number,
  limit: number,
  instant: 'finished_at' | 'enqueued_at' = 'finished_at',
): Promise<number> {
  if (limit <= 0) return 0;
  const space = await ctx.spaceId();
  const s = ctx.s;
  const rows = await ctx.db.query<{ n: string }>(
    'pruning finished tasks',
    // The cutoff is computed once (an init plan), so that it bounds the index scan: NOW reads a
    // volatile clock, and compared row by row it makes the planner scan and sort every finished task.
    `with due as (
       select id from ${s}.tasks_done where space_id = $1 and ${instant} <= (select ${NOW} - $2::bigint)
       order by ${instant} limit $3 for update skip locked
     ),
     gone as (
       delete from ${s}.tasks_done where space_id = $1 and id = any(array(select id from due))
       returning id, state, lost, idempotency_key
     ),
     keys as (
       delete from ${s}.task_keys k using gone g
       where k.space_id = $1 and k.key = g.idempotency_key and k.task_id = g.id
     ),
     tally as (
       insert into ${s}.task_tallies as t (space_id, succeeded, failed, canceled, lost)
       select $1, count(*) filter (where state = 'succeeded'), count(*) filter (where state = 'failed'),
              count(*) filter (where state = 'canceled'), coalesce(sum(lost), 0)
       from gone having count(*) > 0
       on conflict (space_id) do update set succeeded = t.succeeded + excluded.succeeded, failed = t.failed + excluded.failed,
         canceled = t.canceled + excluded.canceled, lost = t.lost + excluded.lost
     )
     select count(*) as n from gone`,
    [space, finishedMs, limit],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * The part of a surface's counters that pruning moved out of `tasks_done`, as a CTE named `pruned`
 * with one row (`succeeded`, `failed`, `canceled`, `lost`; zeros when nothing was pruned) for the
 * space id `$1`: what counters() adds to its counts of `tasks_done`.
 */
export function prunedTallyCte(s: string): string {
  return `pruned as (select coalesce(sum(succeeded), 0) as succeeded, coalesce(sum(failed), 0) as failed,
    coalesce(sum(canceled), 0) as canceled, coalesce(sum(lost), 0) as lost from ${s}.task_tallies where space_id = $1)`;
}
