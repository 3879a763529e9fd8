import {
  attemptLost,
  backoffDelay,
  BackendUnavailableError,
  ClosedError,
  countReaped,
  emptyReapReport,
  InvalidTransitionError,
  LeaseLostError,
  NotFoundError,
  reapAttempt,
  retryDecision,
  trimHistory,
  type AttemptRecord,
  type ClaimedTask,
  type EnqueueSpec,
  type QueueBinding,
  type QueueClaimOptions,
  type QueueCounters,
  type QueueStore,
  type ReapReport,
  type TaskInfo,
  type TaskState,
} from '@stateproof/core/adapter-kit';
import { Coalescer, type Outcome } from '../db/coalescer.js';
import type { Row } from '../db/pg-database.js';
import { NOW } from '../db/server-time.js';
import { sqlLiteral } from '../db/sql-names.js';
import { WakeSignal } from '../notify/wake-signal.js';
import { DONE_COLUMNS, historyEnd, leaseEnd } from './task-sql.js';
import type { PgSpaceContext } from './pg-store-context.js';

/** How a queue store reaches the rest of the adapter. */
export interface PgQueueContext extends PgSpaceContext {
  /** The schema's name, for the advisory lock of limited claims. */
  readonly schema: string;
  /** Whether enqueues send NOTIFY. */
  readonly notify: boolean;
  /** Randomness of backoff jitter, in [0, 1). */
  readonly random: () => number;
}

/** Expired attempts one reaper round takes at most (it loops until a round takes fewer). */
const REAP_BATCH = 500;

/** Completions in flight at once per store, and tasks per completion statement at most. */
const COMPLETE_IN_FLIGHT = 2;
const COMPLETE_BATCH = 1000;

/** One complete() call waiting for its batch. */
interface Completion {
  readonly id: string;
  readonly token: string;
  readonly result: string | null;
}

/** Task ids are the decimal text of a bigint; anything else names no task. */
function parseId(id: string): string | null {
  return /^[1-9][0-9]{0,17}$/.test(id) ? id : null;
}

/** The attempt number a lease token was issued for (`<attempt>.<uuid>`, since schema version 2 `<attempt>.<uuid>.<id>`); 0 when it is not a token of ours. */
function attemptOf(token: string): number {
  const m = /^([1-9][0-9]{0,8})\./.exec(token);
  return m ? Number(m[1]) : 0;
}

const num = (v: unknown): number => Number(v);

function claimed(row: Row): ClaimedTask {
  return {
    id: String(row['id']),
    queue: row['queue'] as string,
    payload: row['payload'] as string,
    priority: num(row['priority']),
    attempt: num(row['attempts']),
    maxAttempts: num(row['max_attempts']),
    token: row['token'] as string,
    leaseExpiresAt: num(row['lease_expires_at']),
    enqueuedAt: num(row['enqueued_at']),
  };
}

/**
 * Tasks in Postgres (spec/contract/queue.md), shaped after graphile-worker, River and Oban with
 * their known holes closed:
 *
 * - claim is one statement: a CTE selects due tasks in claim order `FOR UPDATE SKIP LOCKED` (served
 *   by the partial index `tasks_available`) and the UPDATE starts their attempts; surfaces with
 *   concurrency limits serialise claims with an advisory lock so the limits hold across processes;
 * - every later write of an attempt is compare-and-set on its lease token, with the lease judged by
 *   the server clock at write time, so a paused worker can never finish someone else's attempt;
 * - completions are batched the way graphile-worker and River batch theirs, but transparently and
 *   without giving up the compare-and-set: the complete() calls a store receives in one turn of the
 *   event loop share one statement (at most two such statements in flight; calls made meanwhile
 *   wait and go together), each call is answered with its own outcome, and none is acknowledged
 *   before the statement committed;
 * - the hot statements (claim, complete) are prepared once per connection and find rows by primary
 *   key;
 * - the reaper is a conditional update of expired or overdue attempts of every worker, under
 *   row locks taken with SKIP LOCKED, so concurrent reapers never count an attempt twice;
 * - finished tasks move to `tasks_done`, keeping the hot table small; the history is a bounded
 *   jsonb array beside the task, written only when an attempt ends otherwise than by success (see
 *   task-sql.ts); idempotency keys live in `task_keys`, live or finished.
 */
export class PgQueueStore implements QueueStore {
  private readonly nextId: string;
  private readonly completions: Coalescer<Completion, void>;

  constructor(
    private readonly ctx: PgQueueContext,
    private readonly binding: QueueBinding,
  ) {
    this.nextId = `nextval(${sqlLiteral(`${ctx.s}.task_ids`)}::regclass)`;
    this.completions = new Coalescer((items) => this.completeBatch(items), COMPLETE_IN_FLIGHT, COMPLETE_BATCH);
  }

  private get s(): string {
    return this.ctx.s;
  }

  async enqueue(spec: EnqueueSpec): Promise<{ id: string; deduped: boolean }> {
    return (await this.enqueueMany([spec]))[0] as { id: string; deduped: boolean };
  }

  async enqueueMany(specs: readonly EnqueueSpec[]): Promise<Array<{ id: string; deduped: boolean }>> {
    const [space, channel] = await Promise.all([this.ctx.spaceId(), this.ctx.channel()]);
    // Within the batch, a repeated idempotency key dedupes against its first occurrence.
    const firstByKey = new Map<string, number>();
    const items: EnqueueSpec[] = [];
    const slot: number[] = [];
    for (const spec of specs) {
      const k = spec.idempotencyKey;
      if (k !== undefined && firstByKey.has(k)) {
        slot.push(-1 - (firstByKey.get(k) as number));
        continue;
      }
      if (k !== undefined) firstByKey.set(k, items.length);
      slot.push(items.length);
      items.push(spec);
    }
    const rows = await this.ctx.db.query<{ ids: string[]; deduped: string[] | null }>(
      'enqueueing tasks',
      // The batch is one JSON array of objects (as graphile-worker's add_jobs takes it): the driver
      // would escape every element of six text arrays, which costs more than the statement.
      `with clock as materialized (select ${NOW} as ms),
       items as (
         select queue, payload, priority, run_at, max_attempts, key collate "C" as key, ord
         from rows from (json_to_recordset($2::json) as (q text, p text, pr integer, r bigint, m integer, k text)) with ordinality as i(queue, payload, priority, run_at, max_attempts, key, ord)
       ),
       ids as (select ord, ${this.nextId} as id from (select ord from items order by ord) o),
       k as (
         insert into ${this.s}.task_keys (space_id, key, task_id)
         select $1, i.key, ids.id from items i join ids using (ord) where i.key is not null
         on conflict (space_id, key) do nothing
         returning key
       ),
       t as (
         insert into ${this.s}.tasks (id, space_id, queue, state, payload, priority, run_at, enqueued_at, max_attempts, idempotency_key)
         select ids.id, $1, i.queue, 'queued', i.payload, i.priority, coalesce(i.run_at, (select ms from clock)), (select ms from clock), i.max_attempts, i.key
         from items i join ids using (ord)
         where i.key is null or i.key in (select key from k)
         returning id
       ),
       n as (select pg_notify($3, '') from t where $3::text is not null limit 1)
       select coalesce(array_agg(ids.id order by i.ord), '{}') as ids, array_agg(i.ord order by i.ord) filter (where i.key is not null and i.key not in (select key from k)) as deduped,
              (select count(*) from n) as notified
       from items i join ids using (ord)`,
      [
        space,
        JSON.stringify(items.map((i) => ({ q: i.queue, p: i.payload, pr: i.priority ?? 0, r: i.runAt ?? null, m: i.maxAttempts ?? this.binding.retry.maxAttempts, k: i.idempotencyKey ?? null }))),
        this.ctx.notify ? channel : null,
      ],
    );
    // One row: the ids in batch order, and the positions (from 1) of the items whose key another task had.
    const row = rows[0] as { ids: string[]; deduped: string[] | null };
    const results = row.ids.map((id, i) => ({ id: String(id), deduped: false, key: (items[i] as EnqueueSpec).idempotencyKey ?? null }));
    for (const ord of row.deduped ?? []) (results[Number(ord) - 1] as { deduped: boolean }).deduped = true;
    const dupKeys = results.filter((r) => r.deduped).map((r) => r.key as string);
    if (dupKeys.length > 0) {
      // Keys another task already had: answer with that task (committed, so visible now).
      const existing = await this.ctx.db.query<{ key: string; task_id: string }>(
        'reading idempotency keys',
        `select key, task_id from ${this.s}.task_keys where space_id = $1 and key = any($2::text[])`,
        [space, dupKeys],
        { idempotent: true },
      );
      const byKey = new Map(existing.map((e) => [e.key, String(e.task_id)]));
      for (const r of results) if (r.deduped) r.id = byKey.get(r.key as string) ?? r.id;
    }
    return slot.map((i) => (i >= 0 ? { id: (results[i] as { id: string }).id, deduped: (results[i] as { deduped: boolean }).deduped } : { id: (results[-1 - i] as { id: string }).id, deduped: true }));
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
  private claimUpdate(pick: string): string {
    return `update ${this.s}.tasks t set state = 'running', attempts = t.attempts + 1, token = (t.attempts + 1)::text || '.' || (select uuid from clock) || '.' || t.id::text,
      worker = $4, started_at = (select ms from clock), lease_expires_at = (select ms from clock) + least($5::bigint, coalesce($6::bigint, $5::bigint)),
      cancel_requested = false
      where t.id = any(array(select id from ${pick})) and t.token is null
      returning t.id, t.queue, t.payload, t.priority, t.run_at, t.attempts, t.max_attempts, t.token, t.lease_expires_at, t.enqueued_at`;
  }

  async claim(options: QueueClaimOptions): Promise<ClaimedTask[]> {
    const space = await this.ctx.spaceId();
    const { global, perQueue } = this.binding.concurrency;
    const params = [space, options.queues.length === 0 ? null : options.queues, options.limit, options.worker, options.leaseMs, this.binding.maxRuntimeMs ?? null];
    const now = `clock as materialized (select ${NOW} as ms, gen_random_uuid()::text as uuid)`;
    const due = `space_id = $1 and state = 'queued' and run_at <= (select ms from clock) and ($2::text[] is null or queue = any($2::text[]))`;
    let rows: Row[];
    if (global === undefined && perQueue === undefined) {
      rows = await this.ctx.db.query(
        'claiming tasks',
        `with ${now}, due as (
           select id from ${this.s}.tasks where ${due}
           order by priority desc, run_at, id limit $3
           for update skip locked
         )
         ${this.claimUpdate('due')}`,
        params,
        { prepare: true },
      );
    } else {
      // Limits count running attempts across processes: claims of this surface take turns.
      rows = await this.ctx.db.transaction('claiming tasks', async (tx) => {
        await tx.query(`select pg_advisory_xact_lock(hashtext($1), $2)`, [`${this.ctx.schema}\u001fclaim`, space]);
        return tx.query(
          `with ${now}, running as (select queue, count(*)::integer as n from ${this.s}.tasks where space_id = $1 and state = 'running' group by queue),
           ranked as (
             select id, queue, priority, run_at, row_number() over (partition by queue order by priority desc, run_at, id) as rn
             from ${this.s}.tasks where ${due}
           ),
           pick as (
             select r.id from ranked r left join running using (queue)
             where $7::integer is null or r.rn + coalesce(running.n, 0) <= $7::integer
             order by r.priority desc, r.run_at, r.id
             limit greatest(0, least($3::integer, coalesce($8::integer - (select coalesce(sum(running.n), 0) from running)::integer, $3::integer)))
           )
           ${this.claimUpdate('pick')}`,
          [...params, perQueue ?? null, global ?? null],
        );
      });
    }
    // UPDATE … RETURNING has no order; hand tasks out in claim order.
    return rows
      .sort((a, b) => num(b['priority']) - num(a['priority']) || num(a['run_at']) - num(b['run_at']) || (BigInt(a['id'] as string) < BigInt(b['id'] as string) ? -1 : 1))
      .map(claimed);
  }

  /** Throws why a write of the attempt `token` names was refused, judged on the task as it is now (from either table). */
  private async explain(space: number, id: string, tid: string | null, token: string, operation: string): Promise<'valid'> {
    if (tid === null) throw new NotFoundError(`task ${id}`);
    const rows = await this.ctx.db.query<{ state: TaskState; token: string | null; attempts: number; lease_expires_at: string | null; now: string }>(
      'reading a task',
      `select state, token, attempts, lease_expires_at, ${NOW} as now from ${this.s}.tasks where space_id = $1 and id = $2
       union all select state, null, attempts, null, ${NOW} from ${this.s}.tasks_done where space_id = $1 and id = $2`,
      [space, tid],
      { idempotent: true },
    );
    const t = rows[0];
    const snapshot = t && { state: t.state, token: t.token, attempts: num(t.attempts), leaseExpiresAt: t.lease_expires_at === null ? null : num(t.lease_expires_at) };
    const lost = attemptLost(operation, id, token, snapshot, t ? num(t.now) : 0);
    if (lost) throw lost;
    return 'valid';
  }

  /**
   * Conditions of a valid token: the task runs this attempt and its lease has not expired by the
   * server clock. A task has a token exactly while it runs (a constraint since migration 2), so the
   * token says `state = 'running'`; writing that too would let the planner walk every running task
   * of the surface (the partial index `tasks_running`) instead of taking one row by primary key.
   */
  private readonly valid = `space_id = $1 and id = $2 and token = $3 and lease_expires_at > ${NOW}`;

  async heartbeat(id: string, token: string, leaseMs: number): Promise<{ leaseExpiresAt: number; cancelRequested: boolean }> {
    const space = await this.ctx.spaceId();
    const tid = parseId(id);
    if (tid !== null) {
      const rows = await this.ctx.db.query(
        'heartbeat of a task',
        `update ${this.s}.tasks set lease_expires_at = ${leaseEnd('started_at', '$4', '$5')} where ${this.valid} returning lease_expires_at, cancel_requested`,
        [space, tid, token, leaseMs, this.binding.maxRuntimeMs ?? null],
      );
      if (rows[0]) return { leaseExpiresAt: num(rows[0]['lease_expires_at']), cancelRequested: rows[0]['cancel_requested'] === true };
    }
    await this.explain(space, id, tid, token, 'heartbeat');
    throw new LeaseLostError(`heartbeat of task ${id}: the attempt changed while it was written`);
  }

  /** Moves the task `token` runs (when `where` also holds) to tasks_done as `state`, its attempt ended with the same outcome; true when it did. */
  private async finish(what: string, space: number, id: string, token: string, where: string, state: TaskState, extra: { result?: string | null; error?: string | null } = {}): Promise<boolean> {
    const rows = await this.ctx.db.query(
      what,
      `with t as (delete from ${this.s}.tasks where ${this.valid} ${where} returning *)
       insert into ${this.s}.tasks_done (${DONE_COLUMNS}, state, lost, history, result, finished_at)
       select id, space_id, queue, payload, priority, run_at, enqueued_at, attempts, max_attempts, idempotency_key, cancel_requested,
              coalesce($5::text, last_error), $4, lost, ${historyEnd('t', '$4', '$5', '$7')}, $6, ${NOW}
       from t returning id`,
      [space, id, token, state, extra.error ?? null, extra.result ?? null, this.binding.attemptHistory],
    );
    return rows.length > 0;
  }

  /**
   * Concurrent completions of this store share one statement (see {@link completeBatch}); each
   * call still gets exactly its own outcome.
   */
  async complete(id: string, token: string, result: string | null): Promise<void> {
    if (parseId(id) === null) {
      await this.ctx.spaceId();
      throw new NotFoundError(`task ${id}`);
    }
    return this.completions.submit({ id, token, result });
  }

  /**
   * The completion of attempts: every task named whose token is its running attempt's and whose
   * lease holds by the server clock at that row moves to tasks_done, found by primary key; the
   * statement returns the ids it moved. The attempt stays in the row's columns (no JSON is written,
   * see task-sql.ts). One task: `$2` its id, `$3` the token, `$4` the result. A batch: `$2` the ids,
   * `$3` a JSON object id → token, `$4` id → result (where there is one); each row finds its own
   * token and result by key (a join with the batch may be planned as a loop over the whole batch
   * for every row).
   */
  private completeSql(batch: boolean): string {
    const match = batch ? `t.id = any($2::bigint[]) and t.token = ($3::jsonb ->> t.id::text)` : `t.id = $2 and t.token = $3`;
    return `with t as (
         delete from ${this.s}.tasks t
         where ${match} and t.space_id = $1 and t.lease_expires_at > ${NOW}
         returning t.*
       )
       , done as (
         insert into ${this.s}.tasks_done (${DONE_COLUMNS}, state, lost, history, result, finished_at, last_worker, last_started_at)
         select ${DONE_COLUMNS}, 'succeeded', lost, history, ${batch ? '$4::jsonb ->> id::text' : '$4::text'}, ${NOW}, worker, started_at
         from t returning id
       )
       select coalesce(array_agg(id), '{}') as ids from done`;
  }

  /** One completion on its own: the compare-and-set, then the reason when it did not hold. */
  private async completeOne(space: number, c: Completion): Promise<void> {
    const rows = await this.ctx.db.query<{ ids: string[] }>('completing a task', this.completeSql(false), [space, c.id, c.token, c.result], { prepare: true });
    if ((rows[0]?.ids.length ?? 0) > 0) return;
    await this.explain(space, c.id, c.id, c.token, 'complete');
    throw new LeaseLostError(`complete of task ${c.id}: the attempt changed while it was written`);
  }

  /**
   * Completes the attempts of `items` in one statement ({@link completeSql}). A call whose task did
   * not move is explained on its own (LEASE_LOST or NOT_FOUND, as a single complete would say). A
   * second call for a task already in the batch runs on its own after it, so the two are judged one
   * after the other. A lost connection fails every call of the batch (the statement applied whole or
   * not at all); any other error of the batch statement runs each call on its own, so that each
   * gets its own answer.
   */
  private async completeBatch(items: readonly Completion[]): Promise<Array<Outcome<void>>> {
    const space = await this.ctx.spaceId();
    const first = new Map<string, number>();
    const batch: Completion[] = [];
    items.forEach((c, i) => {
      if (!first.has(c.id)) {
        first.set(c.id, i);
        batch.push(c);
      }
    });
    const settle = (p: Promise<void>): Promise<Outcome<void>> =>
      p.then(
        () => ({ ok: true, value: undefined }),
        (error: unknown) => ({ ok: false, error }),
      );
    if (batch.length === 1 && items.length === 1) return [await settle(this.completeOne(space, items[0] as Completion))];
    let done: Set<string> | undefined;
    try {
      const tokens: Record<string, string> = {};
      const results: Record<string, string> = {};
      for (const c of batch) {
        tokens[c.id] = c.token;
        if (c.result !== null) results[c.id] = c.result;
      }
      const rows = await this.ctx.db.query<{ ids: string[] }>('completing tasks', this.completeSql(true), [space, batch.map((c) => c.id), JSON.stringify(tokens), JSON.stringify(results)], { prepare: true });
      done = new Set((rows[0]?.ids ?? []).map(String));
    } catch (error) {
      if (error instanceof BackendUnavailableError || error instanceof ClosedError) throw error;
    }
    const settled = await Promise.all(
      items.map((c, i): Promise<Outcome<void>> => {
        if (first.get(c.id) !== i) return Promise.resolve({ ok: true, value: undefined }); // replaced below
        if (done === undefined) return settle(this.completeOne(space, c));
        if (done.has(c.id)) return Promise.resolve({ ok: true, value: undefined });
        return settle(
          this.explain(space, c.id, c.id, c.token, 'complete').then(() => {
            throw new LeaseLostError(`complete of task ${c.id}: the attempt changed while it was written`);
          }),
        );
      }),
    );
    // Repeated calls for a task of the batch: judged after it, one by one.
    for (const [i, c] of items.entries()) if (first.get(c.id) !== i) settled[i] = await settle(this.completeOne(space, c));
    return settled;
  }

  async fail(id: string, token: string, error: string, options: { readonly retry?: boolean } = {}): Promise<{ state: 'queued'; runAt: number } | { state: 'failed' }> {
    const space = await this.ctx.spaceId();
    const tid = parseId(id);
    const retry = options.retry !== false;
    if (tid !== null) {
      if (retry) {
        const delay = backoffDelay(this.binding.retry, attemptOf(token), this.ctx.random);
        const rows = await this.ctx.db.query(
          'failing a task',
          `update ${this.s}.tasks t set state = 'queued', run_at = ${NOW} + $5::bigint, token = null, worker = null, started_at = null, lease_expires_at = null,
             last_error = $4, history = ${historyEnd('t', "'failed'", '$4', '$6')}
           where ${this.valid} and attempts < max_attempts returning run_at`,
          [space, tid, token, error, delay, this.binding.attemptHistory],
        );
        if (rows[0]) return { state: 'queued', runAt: num(rows[0]['run_at']) };
      }
      const terminal = retry ? 'and attempts >= max_attempts' : '';
      if (await this.finish('failing a task', space, tid, token, terminal, 'failed', { error })) return { state: 'failed' };
    }
    await this.explain(space, id, tid, token, 'fail');
    throw new LeaseLostError(`fail of task ${id}: the attempt changed while it was written`);
  }

  async cancel(id: string): Promise<{ state: TaskState; cancelRequested: boolean }> {
    const space = await this.ctx.spaceId();
    const tid = parseId(id);
    if (tid === null) throw new NotFoundError(`task ${id}`);
    for (let round = 0; round < 8; round++) {
      // Running: a request (delivered by the next heartbeat). Queued: canceled at once. Finished: as it is.
      const rows = await this.ctx.db.query<{ state: TaskState; cancel_requested: boolean }>(
        'canceling a task',
        `with r as (update ${this.s}.tasks set cancel_requested = true where space_id = $1 and id = $2 and state = 'running' returning state, cancel_requested),
         q as (delete from ${this.s}.tasks where space_id = $1 and id = $2 and state = 'queued' returning *),
         qi as (
           insert into ${this.s}.tasks_done (${DONE_COLUMNS}, state, lost, history, result, finished_at)
           select ${DONE_COLUMNS}, 'canceled', lost, history, null, ${NOW} from q returning state, cancel_requested
         ),
         d as (select state, cancel_requested from ${this.s}.tasks_done where space_id = $1 and id = $2),
         h as (select state, cancel_requested from ${this.s}.tasks where space_id = $1 and id = $2)
         select state, cancel_requested, 1 as o from r union all select state, cancel_requested, 2 from qi
         union all select state, cancel_requested, 3 from d union all select null, null, 4 from h
         order by o limit 1`,
        [space, tid],
      );
      const row = rows[0];
      if (!row) throw new NotFoundError(`task ${id}`);
      // Only the hot row, changed by someone else in between: look again.
      if (row.state !== null) return { state: row.state, cancelRequested: row.cancel_requested };
    }
    throw new Error(`internal: cancel of task ${id} did not settle`);
  }

  async acknowledgeCancel(id: string, token: string): Promise<void> {
    const space = await this.ctx.spaceId();
    const tid = parseId(id);
    if (tid !== null && (await this.finish('canceling a task', space, tid, token, 'and cancel_requested', 'canceled'))) return;
    await this.explain(space, id, tid, token, 'acknowledgeCancel');
    throw new InvalidTransitionError(`task ${id} has no cancel request to acknowledge`);
  }

  async reap(): Promise<ReapReport> {
    const space = await this.ctx.spaceId();
    const report = emptyReapReport();
    const max = this.binding.maxRuntimeMs ?? null;
    for (;;) {
      const taken = await this.ctx.db.transaction('reaping tasks', async (tx) => {
        // Row locks (SKIP LOCKED) make concurrent reapers take disjoint attempts; the WHERE is re-read under the lock.
        const due = await tx.query<{ id: string; attempts: number; max_attempts: number; cancel_requested: boolean; started_at: string; lease_expires_at: string; now: string }>(
          `select id, attempts, max_attempts, cancel_requested, started_at, lease_expires_at, ${NOW} as now
           from ${this.s}.tasks where space_id = $1 and state = 'running' and (lease_expires_at <= ${NOW} or ($2::bigint is not null and started_at + $2::bigint <= ${NOW}))
           order by id limit $3 for update skip locked`,
          [space, max, REAP_BATCH],
        );
        const requeue: Array<{ id: string; delay: number; outcome: string; error: string }> = [];
        const finish: Array<{ id: string; state: TaskState; outcome: string; error: string }> = [];
        for (const t of due) {
          // The WHERE above judged the row under its lock; this names how it ended, by the same clock.
          const reaped = reapAttempt(num(t.started_at), num(t.lease_expires_at), num(t.now), this.binding.maxRuntimeMs);
          if (!reaped) continue;
          const { outcome, error } = reaped;
          const next = t.cancel_requested
            ? ({ state: 'canceled' } as const)
            : retryDecision(this.binding.retry, num(t.attempts), num(t.max_attempts), true, this.ctx.random);
          if (next.state === 'queued') requeue.push({ id: t.id, delay: next.delayMs, outcome, error });
          else finish.push({ id: t.id, state: next.state, outcome, error });
          countReaped(report, reaped, next.state);
        }
        if (requeue.length > 0) {
          await tx.query(
            `update ${this.s}.tasks t set state = 'queued', run_at = ${NOW} + d.delay, token = null, worker = null, started_at = null, lease_expires_at = null,
               lost = t.lost + 1, history = ${historyEnd('t', 'd.outcome', 'd.error', '$5')}
             from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) as d(id, delay, outcome, error) where t.id = d.id`,
            [requeue.map((r) => r.id), requeue.map((r) => r.delay), requeue.map((r) => r.outcome), requeue.map((r) => r.error), this.binding.attemptHistory],
          );
        }
        if (finish.length > 0) {
          await tx.query(
            `with m as (
               delete from ${this.s}.tasks t using unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) as d(id, state, outcome, error)
               where t.id = d.id returning t.*, d.state as new_state, d.outcome as new_outcome, d.error as new_error
             )
             insert into ${this.s}.tasks_done (${DONE_COLUMNS}, state, lost, history, result, finished_at)
             select ${DONE_COLUMNS}, new_state, lost + 1, ${historyEnd('m', 'm.new_outcome', 'm.new_error', '$5')}, null, ${NOW} from m`,
            [finish.map((r) => r.id), finish.map((r) => r.state), finish.map((r) => r.outcome), finish.map((r) => r.error), this.binding.attemptHistory],
          );
        }
        return due.length;
      });
      if (taken < REAP_BATCH) return report;
    }
  }

  async get(id: string): Promise<TaskInfo | null> {
    const space = await this.ctx.spaceId();
    const tid = parseId(id);
    if (tid === null) return null;
    const rows = await this.ctx.db.query(
      'reading a task',
      `select id, queue, state, payload, priority, run_at, enqueued_at, attempts, max_attempts, idempotency_key, cancel_requested, lease_expires_at, null::text as result, last_error, history,
              worker, started_at, null::bigint as ended_at
       from ${this.s}.tasks where space_id = $1 and id = $2
       union all
       select id, queue, state, payload, priority, run_at, enqueued_at, attempts, max_attempts, idempotency_key, cancel_requested, null, result, last_error, history,
              last_worker, last_started_at, finished_at
       from ${this.s}.tasks_done where space_id = $1 and id = $2`,
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
      history: this.attemptsOf(r),
    };
  }

  /**
   * The newest attempts of a row of either table, oldest first: the ended ones of `history`, then
   * the one its columns hold (a running attempt, or a succeeded last one), at most attemptHistory.
   */
  private attemptsOf(r: Row): AttemptRecord[] {
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
    return trimHistory(history, this.binding.attemptHistory);
  }

  async counters(): Promise<QueueCounters> {
    const space = await this.ctx.spaceId();
    const rows = await this.ctx.db.query(
      'reading queue counters',
      `select
         (select count(*) from ${this.s}.tasks where space_id = $1 and state = 'queued') as queued,
         (select count(*) from ${this.s}.tasks where space_id = $1 and state = 'running') as running,
         (select count(*) from ${this.s}.tasks_done where space_id = $1 and state = 'succeeded') as succeeded,
         (select count(*) from ${this.s}.tasks_done where space_id = $1 and state = 'failed') as failed,
         (select count(*) from ${this.s}.tasks_done where space_id = $1 and state = 'canceled') as canceled,
         (select coalesce(sum(lost), 0) from ${this.s}.tasks where space_id = $1) + (select coalesce(sum(lost), 0) from ${this.s}.tasks_done where space_id = $1) as lost`,
      [space],
      { idempotent: true },
    );
    const r = rows[0] as Row;
    return { queued: num(r['queued']), running: num(r['running']), succeeded: num(r['succeeded']), failed: num(r['failed']), canceled: num(r['canceled']), lost: num(r['lost']) };
  }

  /**
   * Resolves when new tasks may be due in this surface (a NOTIFY from an enqueue in any process) or
   * after `timeoutMs`, whichever is first: the wait of a worker loop between claims. A hint only,
   * never a promise of work; claim decides.
   */
  async waitForTasks(timeoutMs: number): Promise<void> {
    const signal = new WakeSignal();
    const listening = this.ctx.listener.listen(await this.ctx.channel(), () => signal.poke());
    listening.ready.catch(() => undefined);
    try {
      await signal.wait(timeoutMs);
    } finally {
      listening.close();
    }
  }
}
