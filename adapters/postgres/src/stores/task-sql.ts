import { NOW } from '../db/server-time.js';

/**
 * SQL fragments shared by the queue's statements, so that the shape of a task's history and the
 * columns of a finished task are written once.
 */

/** Columns a finished task keeps, in `tasks_done` order (without state, lost, history, result, finished_at). */
export const DONE_COLUMNS = 'id, space_id, queue, payload, priority, run_at, enqueued_at, attempts, max_attempts, idempotency_key, cancel_requested, last_error';

/**
 * The history with attempt `attempts + 1` started by `worker`, keeping the newest `keep`, for a row
 * aliased `t`. `worker` and `keep` are SQL expressions (parameters).
 */
export function historyStart(worker: string, keep: string): string {
  const appended = `t.history || jsonb_build_array(jsonb_build_object('attempt', t.attempts + 1, 'worker', ${worker}::text, 'startedAt', ${NOW}, 'endedAt', null, 'outcome', 'running', 'error', null))`;
  return `(select coalesce(jsonb_agg(h.e order by h.o), '[]'::jsonb) from jsonb_array_elements(${appended}) with ordinality as h(e, o)
           where h.o > jsonb_array_length(t.history) + 1 - ${keep}::integer)`;
}

/** The history of row `t` with its running attempt ended as `outcome` with `error` (SQL expressions). */
export function historyEnd(t: string, outcome: string, error: string): string {
  return `case when jsonb_array_length(${t}.history) > 0 and (${t}.history -> -1 ->> 'attempt')::integer = ${t}.attempts
            then jsonb_set(${t}.history, '{-1}', (${t}.history -> -1) || jsonb_build_object('endedAt', ${NOW}, 'outcome', ${outcome}::text, 'error', ${error}::text))
            else ${t}.history end`;
}

/** The lease end of a running attempt of row `t` renewed now for `lease`, capped at its start plus `maxRuntime` (SQL expressions, nullable). */
export function leaseEnd(startedAt: string, lease: string, maxRuntime: string): string {
  return `case when ${maxRuntime}::bigint is null then ${NOW} + ${lease}::bigint else least(${NOW} + ${lease}::bigint, ${startedAt} + ${maxRuntime}::bigint) end`;
}
