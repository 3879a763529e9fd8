import {
  backoffDelay,
  WakeSignal,
  LeaseLostError,
  noCancelRequest,
  NotFoundError,
  type CancelResult,
  type ClaimedTask,
  type EnqueueResult,
  type FailResult,
  type HeartbeatResult,
  type EnqueueSpec,
  type QueueBinding,
  type QueueClaimOptions,
  type QueueCounters,
  type QueueStore,
  type ReapReport,
  type TaskInfo,
  type TaskState,
} from '@stateproof/core/adapter-kit';
import type { Row } from '../db/pg-database.js';
import { num } from './pg-claimed-row.js';
import { NOW } from '../db/server-time.js';
import { explainRefusal } from './pg-attempt-refusal.js';
import { leaseJudged, type LeaseJudgedRunner, type LeaseJudgedSpec } from './pg-lease-judged.js';
import type { PgQueueContext } from './pg-store-context.js';
import { PgTaskCompletions } from './pg-task-completions.js';
import { enqueueTasks } from './pg-task-enqueue.js';
import { claimTasks } from './pg-task-claim.js';
import { readTask } from './pg-task-read.js';
import { prunedTallyCte, pruneFinishedTasks } from './pg-task-pruning.js';
import { reapTasks } from './pg-task-reaper.js';
import { parseTaskId, tokenAttempt } from './task-id.js';
import { DONE_COLUMNS, historyEnd, leaseEnd } from './task-sql.js';

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
  private readonly completions: PgTaskCompletions;

  /** @internal */
  constructor(
    private readonly ctx: PgQueueContext,
    private readonly binding: QueueBinding,
  ) {
    this.completions = new PgTaskCompletions(ctx);
  }

  private get s(): string {
    return this.ctx.s;
  }

  async enqueue(spec: EnqueueSpec): Promise<EnqueueResult> {
    return (await this.enqueueMany([spec]))[0] as { id: string; deduped: boolean };
  }

  async enqueueMany(specs: readonly EnqueueSpec[]): Promise<EnqueueResult[]> {
    return enqueueTasks(this.ctx, this.binding.retry.maxAttempts, specs);
  }

  /**
   * The ORDER BY of the claim statement of a surface without concurrency limits: the contract's
   * order (QUE-005; ids are the enqueue order). A seam for the conformance mutants only.
   * @internal
   */
  protected claimOrder(): string {
    return 'priority desc, run_at, id';
  }

  /**
   * The slots a claim under a global limit `$7` alone counts as taken: the attempts running across
   * the surface, counted up to the limit (the rest would change nothing) in the order of the
   * partial index `tasks_running`, so the count costs at most G live entries. A seam for the
   * conformance mutants only.
   * @internal
   */
  protected globalSlotsTaken(): string {
    return `select count(*)::integer from (select 1 from ${this.s}.tasks where space_id = $1 and state = 'running' order by space_id, lease_expires_at limit $7) r`;
  }

  /**
   * The slots of a queue a claim under a per-queue limit counts as taken: its running attempts
   * (`running.n`, zero for a queue with none). A seam for the conformance mutants only.
   * @internal
   */
  protected queueSlotsTaken(): string {
    return 'coalesce(running.n, 0)';
  }

  async claim(options: QueueClaimOptions): Promise<ClaimedTask[]> {
    return claimTasks(this.ctx, this.binding, options, {
      order: this.claimOrder(),
      globalSlotsTaken: this.globalSlotsTaken(),
      queueSlotsTaken: this.queueSlotsTaken(),
    });
  }

  /**
   * Conditions of a valid token: the task runs this attempt and its lease has not expired by the
   * server clock. A task has a token exactly while it runs (a constraint since migration 2), so the
   * token says `state = 'running'`; writing that too would let the planner walk every running task
   * of the surface (the partial index `tasks_running`) instead of taking one row by primary key.
   */
  private get valid(): string {
    return `space_id = $1 and id = $2 and token = $3 and lease_expires_at > ${this.judgedAt}`;
  }

  /**
   * The instant a write of an attempt judges the lease by: NOW as the statement runs, after any
   * lock wait (clock_timestamp(), never now(), which is the transaction's start). A seam for the
   * conformance mutants only.
   * @internal
   */
  protected get judgedAt(): string {
    return NOW;
  }

  /** Runs the statements of a write of the attempt of task `tid`, which judge its lease (see leaseJudged). */
  private judged<T>(
    what: string,
    operation: string,
    id: string,
    space: number,
    tid: string,
    judge: LeaseJudgedSpec<T>['judge'],
  ): Promise<T> {
    return leaseJudged(this.ctx.db, this.ctx.beforeLeaseJudgement, {
      what,
      write: { kind: 'queue', operation, key: id },
      lock: { sql: `select 1 from ${this.s}.tasks where space_id = $1 and id = $2 for update`, params: [space, tid] },
      judge,
    });
  }

  async heartbeat(id: string, token: string, leaseMs: number): Promise<HeartbeatResult> {
    const space = await this.ctx.spaceId();
    const tid = parseTaskId(id);
    if (tid !== null) {
      const rows = await this.judged('heartbeat of a task', 'heartbeat', id, space, tid, (run) =>
        run(
          `update ${this.s}.tasks set lease_expires_at = ${leaseEnd('started_at', '$4', '$5')} where ${this.valid} returning lease_expires_at, cancel_requested`,
          [space, tid, token, leaseMs, this.binding.maxRuntimeMs ?? null],
        ),
      );
      if (rows[0])
        return {
          leaseExpiresAt: num(rows[0]['lease_expires_at']),
          cancelRequested: rows[0]['cancel_requested'] === true,
        };
    }
    await explainRefusal(this.ctx, space, id, tid, token, 'heartbeat');
    throw new LeaseLostError(`heartbeat of task ${id}: the attempt changed while it was written`);
  }

  /** Moves the task `token` runs (when `where` also holds) to tasks_done as `state`, its attempt ended with the same outcome; true when it did. */
  private async finish(
    run: LeaseJudgedRunner,
    space: number,
    id: string,
    token: string,
    where: string,
    state: TaskState,
    extra: { result?: string | null; error?: string | null } = {},
  ): Promise<boolean> {
    const rows = await run(
      `with t as (delete from ${this.s}.tasks where ${this.valid} ${where} returning *)
       insert into ${this.s}.tasks_done (${DONE_COLUMNS}, state, lost, history, result, finished_at)
       select id, space_id, queue, payload, priority, run_at, enqueued_at, attempts, max_attempts, idempotency_key, cancel_requested,
              coalesce($5::text, last_error), $4, lost, ${historyEnd('t', '$4', '$5', '$7')}, $6, ${NOW}
       from t returning id`,
      [space, id, token, state, extra.error ?? null, extra.result ?? null, this.binding.attemptHistory],
    );
    return rows.length > 0;
  }

  /** Concurrent completions of this store share one statement (see `PgTaskCompletions`). */
  async complete(id: string, token: string, result: string | null): Promise<void> {
    if (parseTaskId(id) === null) {
      await this.ctx.spaceId();
      throw new NotFoundError(`task ${id}`);
    }
    return this.completions.submit({ id, token, result });
  }

  async fail(
    id: string,
    token: string,
    error: string,
    options: { readonly retry?: boolean } = {},
  ): Promise<FailResult> {
    const space = await this.ctx.spaceId();
    const tid = parseTaskId(id);
    const retry = options.retry !== false;
    if (tid !== null) {
      const delay = retry ? backoffDelay(this.binding.retry, tokenAttempt(token), this.ctx.random) : 0;
      const failed = await this.judged('failing a task', 'fail', id, space, tid, async (run) => {
        if (retry) {
          const rows = await run(
            `update ${this.s}.tasks t set state = 'queued', run_at = ${NOW} + $5::bigint, token = null, worker = null, started_at = null, lease_expires_at = null,
             last_error = $4, history = ${historyEnd('t', "'failed'", '$4', '$6')}
           where ${this.valid} and attempts < max_attempts returning run_at`,
            [space, tid, token, error, delay, this.binding.attemptHistory],
          );
          if (rows[0]) return { state: 'queued' as const, runAt: num(rows[0]['run_at']) };
        }
        const terminal = retry ? 'and attempts >= max_attempts' : '';
        if (await this.finish(run, space, tid, token, terminal, 'failed', { error }))
          return { state: 'failed' as const };
        return undefined;
      });
      if (failed) return failed;
    }
    await explainRefusal(this.ctx, space, id, tid, token, 'fail');
    throw new LeaseLostError(`fail of task ${id}: the attempt changed while it was written`);
  }

  async cancel(id: string): Promise<CancelResult> {
    const space = await this.ctx.spaceId();
    const tid = parseTaskId(id);
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
    const tid = parseTaskId(id);
    if (
      tid !== null &&
      (await this.judged('canceling a task', 'acknowledgeCancel', id, space, tid, (run) =>
        this.finish(run, space, tid, token, 'and cancel_requested', 'canceled'),
      ))
    )
      return;
    await explainRefusal(this.ctx, space, id, tid, token, 'acknowledgeCancel');
    throw noCancelRequest(id);
  }

  /** Removes due finished tasks with their keys, tallying them for the counters (see pg-task-pruning.ts). */
  async prune(limit: number): Promise<number> {
    return pruneFinishedTasks(this.ctx, this.binding.retention.finishedMs, limit, this.retainedFrom());
  }

  /**
   * The column of tasks_done the retention window counts from: when the task finished (QUE-037).
   * A seam for the conformance mutants only.
   * @internal
   */
  protected retainedFrom(): 'finished_at' | 'enqueued_at' {
    return 'finished_at';
  }

  async reap(): Promise<ReapReport> {
    return reapTasks(this.ctx, this.binding);
  }

  async get(id: string): Promise<TaskInfo | null> {
    const space = await this.ctx.spaceId();
    const tid = parseTaskId(id);
    return tid === null ? null : readTask(this.ctx, space, tid, this.binding.attemptHistory);
  }

  async counters(): Promise<QueueCounters> {
    const space = await this.ctx.spaceId();
    const rows = await this.ctx.db.query(
      'reading queue counters',
      // Finished tasks: those tasks_done holds, plus those pruned from it (one snapshot sees each in one place).
      `with ${prunedTallyCte(this.s)} select
         (select count(*) from ${this.s}.tasks where space_id = $1 and state = 'queued') as queued,
         (select count(*) from ${this.s}.tasks where space_id = $1 and state = 'running') as running,
         (select count(*) from ${this.s}.tasks_done where space_id = $1 and state = 'succeeded') + (select succeeded from pruned) as succeeded,
         (select count(*) from ${this.s}.tasks_done where space_id = $1 and state = 'failed') + (select failed from pruned) as failed,
         (select count(*) from ${this.s}.tasks_done where space_id = $1 and state = 'canceled') + (select canceled from pruned) as canceled,
         (select coalesce(sum(lost), 0) from ${this.s}.tasks where space_id = $1) + (select coalesce(sum(lost), 0) from ${this.s}.tasks_done where space_id = $1)
           + (select lost from pruned) as lost`,
      [space],
      { idempotent: true },
    );
    const r = rows[0] as Row;
    return {
      queued: num(r['queued']),
      running: num(r['running']),
      succeeded: num(r['succeeded']),
      failed: num(r['failed']),
      canceled: num(r['canceled']),
      lost: num(r['lost']),
    };
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
