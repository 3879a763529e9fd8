import {
  compareClaimOrder,
  type ClaimedTask,
  type QueueBinding,
  type QueueClaimOptions,
} from '@stateproof/core/adapter-kit';
import type { Row } from '../db/pg-database.js';
import { NOW } from '../db/server-time.js';
import { claimed, claimOrderOf } from './pg-claimed-row.js';
import type { PgQueueContext } from './pg-store-context.js';

/** The SQL a conformance mutant may swap in a claim (the honest store passes the contract's). */
export interface ClaimSeams {
  /** The ORDER BY of the claim of a surface without concurrency limits. */
  readonly order: string;
  /** A scalar query of the slots taken, for a claim under a global limit alone. */
  readonly globalSlotsTaken: string;
  /** The running attempts of a queue, for a claim under a per-queue limit (`running.n` is the count). */
  readonly queueSlotsTaken: string;
}

/**
 * Starts the attempts of the rows `pick` names: the new attempt is the row's columns (the history
 * holds ended attempts only), all of the statement's at one instant, the `clock` CTE read once; the
 * rows are locked by the claim's SELECT, so no lock wait falls between that instant and the update.
 * A lease token is `<attempt>.<uuid>.<id>`, with one random uuid per claim statement: unique per
 * attempt, and unknown to anyone but the claimer, at one uuid per claim rather than per task.
 * The rows are found by primary key from the array of picked ids: a join with the CTE may be
 * planned as a scan of the whole table, and `state = 'queued'` (rather than the equivalent `token
 * is null`, see migration 2) would let the planner, misled by statistics of an empty table,
 * search the partial index of queued tasks for each id.
 */
function claimUpdate(s: string, pick: string): string {
  return `update ${s}.tasks t set state = 'running', attempts = t.attempts + 1, token = (t.attempts + 1)::text || '.' || (select uuid from clock) || '.' || t.id::text,
      worker = $4, started_at = (select ms from clock), lease_expires_at = (select ms from clock) + least($5::bigint, coalesce($6::bigint, $5::bigint)),
      cancel_requested = false
      where t.id = any(array(select id from ${pick})) and t.token is null
      returning t.id, t.queue, t.payload, t.priority, t.run_at, t.attempts, t.max_attempts, t.token, t.lease_expires_at, t.enqueued_at`;
}

/**
 * Takes the claim lock of a surface for the transaction, and turns bitmap scans off in it. Every
 * claimed attempt leaves a dead entry in the partial index of running tasks until a vacuum; a
 * bitmap scan of that index (the planner's choice for a few running rows) visits the heap page of
 * each, every claim, while an index scan marks them dead on first sight and skips them after: with
 * 150,000 dead entries, 26 ms against 1 ms per count of the running attempts.
 */
const LOCK_CLAIMS = `select pg_advisory_xact_lock(hashtext($1), $2), set_config('enable_bitmapscan', 'off', true)`;

/**
 * Claims up to `options.limit` due tasks in claim order for `options.worker`, in one statement.
 * Without concurrency limits: `FOR UPDATE SKIP LOCKED` through the partial index `tasks_available`.
 * With limits, which count running attempts across processes, the claims of a surface take turns
 * under an advisory lock: a global limit alone reads the due tasks through the index as far as the
 * free slots; a per-queue limit P reads the first P due tasks of each queue (through the partial
 * index `tasks_queue_available`). Neither reads the backlog beyond what it may take.
 */
export async function claimTasks(
  ctx: PgQueueContext,
  binding: QueueBinding,
  options: QueueClaimOptions,
  seams: ClaimSeams,
): Promise<ClaimedTask[]> {
  const s = ctx.s;
  const space = await ctx.spaceId();
  const { global, perQueue } = binding.concurrency;
  const params = [
    space,
    options.queues.length === 0 ? null : options.queues,
    options.limit,
    options.worker,
    options.leaseMs,
    binding.maxRuntimeMs ?? null,
  ];
  const now = `clock as materialized (select ${NOW} as ms, gen_random_uuid()::text as uuid)`;
  const due = `space_id = $1 and state = 'queued' and run_at <= (select ms from clock) and ($2::text[] is null or queue = any($2::text[]))`;
  let rows: Row[];
  if (global === undefined && perQueue === undefined) {
    rows = await ctx.db.query(
      'claiming tasks',
      `with ${now}, due as (
           select id from ${s}.tasks where ${due}
           order by ${seams.order} limit $3
           for update skip locked
         )
         ${claimUpdate(s, 'due')}`,
      params,
      { prepare: true },
    );
  } else if (perQueue === undefined) {
    // A global limit only: the due tasks in claim order, as many as the free slots, through the
    // index (the per-queue ranking below sorts every due task, which a large backlog makes slow).
    rows = await ctx.db.transaction('claiming tasks', async (tx) => {
      await tx.query(LOCK_CLAIMS, [`${ctx.schema}\u001fclaim`, space]);
      return tx.query(
        `with ${now}, due as (
             select id from ${s}.tasks where ${due}
             order by priority desc, run_at, id
             limit greatest(0, least($3::integer, $7::integer - (${seams.globalSlotsTaken})))
             for update skip locked
           )
           ${claimUpdate(s, 'due')}`,
        [...params, global],
      );
    });
  } else {
    // A per-queue limit: the queues holding queued tasks, found by a skip scan of the index
    // `tasks_queue_available` (one probe per queue), then the first P due tasks of each in claim
    // order (all a claim may take from it), ranked, and those that fit the limits in claim order.
    // Reading only P per queue keeps the cost off the backlog.
    const queued = `t.space_id = $1 and t.state = 'queued' and ($2::text[] is null or t.queue = any($2::text[]))`;
    rows = await ctx.db.transaction('claiming tasks', async (tx) => {
      await tx.query(LOCK_CLAIMS, [`${ctx.schema}\u001fclaim`, space]);
      return tx.query(
        `with recursive ${now},
           running as (select queue, count(*)::integer as n from ${s}.tasks where space_id = $1 and state = 'running' group by queue),
           queues as (
             (select t.queue from ${s}.tasks t where ${queued} order by t.queue limit 1)
             union all
             select (select t.queue from ${s}.tasks t where ${queued} and t.queue > q.queue order by t.queue limit 1)
             from queues q where q.queue is not null
           ),
           ranked as (
             select c.id, c.queue, c.priority, c.run_at,
               row_number() over (partition by c.queue order by c.priority desc, c.run_at, c.id) as rn
             from queues q cross join lateral (
               select t.id, t.queue, t.priority, t.run_at from ${s}.tasks t
               where t.space_id = $1 and t.state = 'queued' and t.queue = q.queue and t.run_at <= (select ms from clock)
               order by t.priority desc, t.run_at, t.id limit $7::integer
             ) c
             where q.queue is not null
           ),
           pick as (
             select r.id from ranked r left join running using (queue)
             where r.rn + ${seams.queueSlotsTaken} <= $7::integer
             order by r.priority desc, r.run_at, r.id
             limit greatest(0, least($3::integer, coalesce($8::integer - (select coalesce(sum(running.n), 0) from running)::integer, $3::integer)))
           )
           ${claimUpdate(s, 'pick')}`,
        [...params, perQueue, global ?? null],
      );
    });
  }
  // UPDATE … RETURNING has no order; hand tasks out in claim order (each row's key read once).
  return rows
    .map((row) => ({ key: claimOrderOf(row), row }))
    .sort((a, b) => compareClaimOrder(a.key, b.key))
    .map((k) => claimed(k.row));
}
