import { NOW } from '../db/server-time.js';

/**
 * SQL fragments shared by the queue's statements, so that the shape of a task's history and the
 * columns of a finished task are written once.
 *
 * How attempts are stored (schema version 2): `history` holds ended attempts only, the newest
 * `attemptHistory` of them, oldest first. The running attempt of a task is its columns (`attempts`,
 * `worker`, `started_at`), so a claim writes no JSON; an attempt that ends otherwise than by
 * success is appended to `history` as it ends; a succeeded last attempt stays in columns of
 * `tasks_done` (`last_worker`, `last_started_at`, ended at `finished_at`), so a completion writes
 * no JSON either. `get` puts the history back together (see pg-task-read.ts).
 */

/** Columns a finished task keeps, in `tasks_done` order (without state, lost, history, result, finished_at). */
export const DONE_COLUMNS =
  'id, space_id, queue, payload, priority, run_at, enqueued_at, attempts, max_attempts, idempotency_key, cancel_requested, last_error';

/**
 * The history of the running row `t` with its attempt appended as ended now with `outcome` and
 * `error`, keeping the newest `keep` (SQL expressions, parameters).
 */
export function historyEnd(t: string, outcome: string, error: string, keep: string): string {
  const ended = `jsonb_build_array(jsonb_build_object('attempt', ${t}.attempts, 'worker', ${t}.worker, 'startedAt', ${t}.started_at, 'endedAt', ${NOW}, 'outcome', ${outcome}::text, 'error', ${error}::text))`;
  // Without the entry of the running attempt that a process of schema version 1 may still have written.
  const h = `(case when ${t}.history -> -1 ->> 'outcome' = 'running' then ${t}.history - (-1) else ${t}.history end)`;
  return `case when jsonb_array_length(${h}) < ${keep}::integer then ${h} || ${ended}
            else (select coalesce(jsonb_agg(x.e order by x.o), '[]'::jsonb) from jsonb_array_elements(${h} || ${ended}) with ordinality as x(e, o)
                  where x.o > jsonb_array_length(${h}) + 1 - ${keep}::integer) end`;
}

/** The lease end of a running attempt of row `t` renewed now for `lease`, capped at its start plus `maxRuntime` (SQL expressions, nullable). */
export function leaseEnd(startedAt: string, lease: string, maxRuntime: string): string {
  return `case when ${maxRuntime}::bigint is null then ${NOW} + ${lease}::bigint else least(${NOW} + ${lease}::bigint, ${startedAt} + ${maxRuntime}::bigint) end`;
}
