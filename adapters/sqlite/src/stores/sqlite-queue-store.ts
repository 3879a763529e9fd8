import { randomBytes } from 'node:crypto';
import {
  type CancelResult,
  type EnqueueResult,
  type FailResult,
  type HeartbeatResult,
  attemptLeaseEnd,
  attemptLost,
  cancelDecision,
  compareClaimOrder,
  countReaped,
  emptyReapReport,
  endAttempt,
  noCancelRequest,
  NotFoundError,
  reapAttempt,
  retryDecision,
  type AttemptEnd,
  type AttemptRecord,
  type ClaimedTask,
  type EnqueueSpec,
  type QueueBinding,
  type QueueClaimOptions,
  type QueueCounters,
  type QueueStore,
  type ReapReport,
  type RetryDecision,
  type TaskInfo,
  type TaskState,
} from '@stateproof/core/adapter-kit';
import { leaseJudgement } from './lease-judgement.js';
import { SqliteTaskPruning } from './sqlite-task-pruning.js';
import type { StoreContext } from './store-context.js';
import {
  CLAIM_ORDER,
  claimOrderOf,
  insertChunks,
  insertTasksSql,
  taskStatements,
  type AttemptRow,
  type TaskRow,
  type TaskStatements,
  type Totals,
} from './sqlite-task-statements.js';

/**
 * Tasks in SQLite (spec/contract/queue.md). `claim` is one `UPDATE … RETURNING` whose subquery picks
 * the due tasks in contract order (priority, due time, enqueue order) within the concurrency limits,
 * so two processes claiming at once can never take the same task: the write lock serialises them and
 * the second sees the first's tasks running. Every later write of an attempt is compare-and-set on its
 * lease token; the reaper recovers expired attempts of every worker, conditionally and idempotently.
 */
export class SqliteQueueStore implements QueueStore {
  private readonly space: string;
  private readonly q: TaskStatements;

  constructor(
    private readonly ctx: StoreContext,
    private readonly binding: QueueBinding,
  ) {
    this.space = binding.space;
    this.q = taskStatements(ctx, binding, this.claimOrder());
  }

  /**
   * The ORDER BY of the claim statement of a surface without a per-queue limit: the contract's
   * order. Called once, from the constructor; a seam for the conformance mutants only.
   */
  protected claimOrder(): string {
    return CLAIM_ORDER;
  }

  private row(id: string): TaskRow | undefined {
    return this.q.row.get(this.space, id) as TaskRow | undefined;
  }

  /** Creates a task with sequence number `seq` (from the namespace-wide id counter), unless its idempotency key exists. */
  private create(spec: EnqueueSpec, now: number, seq: number): EnqueueResult {
    if (spec.idempotencyKey !== undefined) {
      const existing = this.q.byKey.get(this.space, spec.idempotencyKey) as { id: string } | undefined;
      if (existing) return { id: existing.id, deduped: true };
    }
    // One namespace-wide counter gives both the id (unique in the namespace) and the enqueue order.
    const id = `t${seq.toString(36)}`;
    this.q.insert.run(
      this.space,
      id,
      seq,
      spec.queue,
      spec.payload,
      spec.priority ?? 0,
      spec.runAt ?? now,
      now,
      spec.maxAttempts ?? this.binding.retry.maxAttempts,
      spec.idempotencyKey ?? null,
    );
    return { id, deduped: false };
  }

  async enqueue(spec: EnqueueSpec): Promise<EnqueueResult> {
    return this.ctx.exec.write(() => this.create(spec, this.ctx.clock.now(), this.ctx.counters.bump('', 'ids')));
  }

  async enqueueMany(specs: readonly EnqueueSpec[]): Promise<EnqueueResult[]> {
    // One operation, so one savepoint: the batch is all or nothing, deduplicated within itself too.
    return this.ctx.exec.write(() => {
      const now = this.ctx.clock.now();
      // Numbers for the whole batch at once (a deduplicated item leaves its number unused: ids need no contiguity).
      const first = this.ctx.counters.bump('', 'ids', specs.length) - specs.length + 1;
      if (specs.some((s) => s.idempotencyKey !== undefined)) return specs.map((s, i) => this.create(s, now, first + i));
      return this.insertAll(specs, now, first);
    });
  }

  /** Inserts tasks without idempotency keys (nothing to deduplicate) as `create` would, many rows a statement. */
  private insertAll(specs: readonly EnqueueSpec[], now: number, first: number): EnqueueResult[] {
    const results: EnqueueResult[] = new Array<EnqueueResult>(specs.length);
    let i = 0;
    for (const rows of insertChunks(specs.length)) {
      const params: unknown[] = [];
      for (const end = i + rows; i < end; i++) {
        const s = specs[i] as EnqueueSpec;
        const seq = first + i;
        const id = `t${seq.toString(36)}`;
        const maxAttempts = s.maxAttempts ?? this.binding.retry.maxAttempts;
        params.push(this.space, id, seq, s.queue, s.payload, s.priority ?? 0, s.runAt ?? now, now, maxAttempts, null);
        results[i] = { id, deduped: false };
      }
      this.ctx.sql.get(insertTasksSql(this.ctx.tables.tasks, rows)).run(params);
    }
    return results;
  }

  async claim(options: QueueClaimOptions): Promise<ClaimedTask[]> {
    const nonce = randomBytes(6).toString('hex');
    return this.ctx.exec.write(() => {
      const now = this.ctx.clock.now();
      const { global, perQueue } = this.binding.concurrency;
      let cap = options.limit;
      if (global !== undefined)
        cap = Math.max(0, Math.min(cap, global - (this.q.running.get(this.space) as { n: number }).n));
      if (cap === 0) return [];
      const rows = this.q.claim.all({
        space: this.space,
        now,
        cap,
        nonce,
        worker: options.worker,
        lease: attemptLeaseEnd(now, now, options.leaseMs, this.binding.maxRuntimeMs),
        keep: this.binding.attemptHistory,
        any: options.queues.length === 0 ? 1 : 0,
        queues: JSON.stringify(options.queues),
        ...(perQueue === undefined ? {} : { perQueue }),
      }) as Array<
        Pick<
          TaskRow,
          | 'id'
          | 'queue'
          | 'payload'
          | 'priority'
          | 'attempts'
          | 'max_attempts'
          | 'token'
          | 'lease_expires_at'
          | 'enqueued_at'
          | 'run_at'
          | 'seq'
        >
      >;
      // RETURNING has no defined order: hand the tasks out in the order they were chosen.
      rows.sort((a, b) => compareClaimOrder(claimOrderOf(a), claimOrderOf(b)));
      return rows.map((r) => ({
        id: r.id,
        queue: r.queue,
        payload: r.payload,
        priority: r.priority,
        attempt: r.attempts,
        maxAttempts: r.max_attempts,
        token: r.token as string,
        leaseExpiresAt: r.lease_expires_at as number,
        enqueuedAt: r.enqueued_at,
      }));
    });
  }

  /** The running attempt `token` names, if it is current and its lease holds; else LeaseLostError. */
  private attempt(id: string, token: string, operation: string, now: number): AttemptRow {
    const t = this.q.attempt.get(this.space, id) as AttemptRow | undefined;
    const snapshot = t && { state: t.state, token: t.token, attempts: t.attempts, leaseExpiresAt: t.lease_expires_at };
    const lost = attemptLost(operation, id, token, snapshot, now);
    if (lost) throw lost;
    return t as AttemptRow;
  }

  /** The history after the running attempt of `t` ended with `outcome`, trimmed to the surface's bound. */
  private ended(t: AttemptRow, outcome: AttemptEnd['outcome'], error: string | null, now: number): string {
    const history = JSON.parse(t.history) as AttemptRecord[];
    const ended = endAttempt(history, t.attempts, { outcome, endedAt: now, error }, this.binding.attemptHistory);
    return JSON.stringify(ended);
  }

  /** Writes the end of the running attempt and the task's next state at `now` (a terminal one's finish instant, for retention). */
  private finish(
    t: AttemptRow,
    now: number,
    set: { state: TaskState; history: string; runAt?: number; result?: string | null; lastError?: string },
  ): void {
    // A task runs to `succeeded` at most once, so a result is only ever written once; null keeps what is there.
    this.q.finish.run(
      set.state,
      set.history,
      set.runAt ?? t.run_at,
      set.result ?? null,
      set.lastError ?? null,
      set.state === 'queued' ? null : now,
      this.space,
      t.id,
    );
  }

  /** Counts one more task in a total; the group's increments are written once, before its commit. */
  private total(name: Totals): void {
    this.ctx.exec.tally(`${this.space}\u0000${name}`, 1, (n) => this.ctx.counters.bump(this.space, name, n));
  }

  /** A total as this transaction sees it, with the increments of its group not yet written. */
  private readTotal(name: Totals): number {
    return this.ctx.counters.read(this.space, name) + this.ctx.exec.tallied(`${this.space}\u0000${name}`);
  }

  /** After a failed, lost or timed-out attempt: the retry (with the pinned backoff) while attempts remain, else failure. */
  private retryOrFail(t: AttemptRow, retry: boolean): RetryDecision {
    const next = retryDecision(this.binding.retry, t.attempts, t.max_attempts, retry, this.ctx.random);
    if (next.state === 'failed') this.total('failed');
    return next;
  }

  async heartbeat(id: string, token: string, leaseMs: number): Promise<HeartbeatResult> {
    // Checks, then one statement: no savepoint needed.
    return this.ctx.exec.writeChecked(() => {
      leaseJudgement(this.ctx.beforeLeaseJudgement, { kind: 'queue', operation: 'heartbeat', key: id });
      const now = this.ctx.clock.now();
      const t = this.attempt(id, token, 'heartbeat', now);
      const leaseExpiresAt = attemptLeaseEnd(t.started_at as number, now, leaseMs, this.binding.maxRuntimeMs);
      this.q.heartbeat.run(leaseExpiresAt, this.space, id);
      return { leaseExpiresAt, cancelRequested: t.cancel_requested === 1 };
    });
  }

  async complete(id: string, token: string, result: string | null): Promise<void> {
    // Checks, then one statement (the usual case checks inside it): no savepoint needed.
    return this.ctx.exec.writeChecked(() => {
      leaseJudgement(this.ctx.beforeLeaseJudgement, { kind: 'queue', operation: 'complete', key: id });
      const now = this.ctx.clock.now();
      const keep = this.binding.attemptHistory;
      // The compare-and-set in the statement itself; a refusal (or a history to trim) reads the row.
      if (this.q.complete.run({ space: this.space, id, token, now, result, keep }).changes === 0) {
        const t = this.attempt(id, token, 'complete', now);
        this.finish(t, now, { state: 'succeeded', history: this.ended(t, 'succeeded', null, now), result });
      }
      this.total('succeeded');
    });
  }

  async fail(
    id: string,
    token: string,
    error: string,
    options: { readonly retry?: boolean } = {},
  ): Promise<FailResult> {
    // Checks, then one statement: no savepoint needed.
    return this.ctx.exec.writeChecked(() => {
      leaseJudgement(this.ctx.beforeLeaseJudgement, { kind: 'queue', operation: 'fail', key: id });
      const now = this.ctx.clock.now();
      const t = this.attempt(id, token, 'fail', now);
      const next = this.retryOrFail(t, options.retry !== false);
      const history = this.ended(t, 'failed', error, now);
      if (next.state === 'failed') {
        this.finish(t, now, { state: 'failed', history, lastError: error });
        return { state: 'failed' as const };
      }
      const runAt = now + next.delayMs;
      this.finish(t, now, { state: 'queued', history, lastError: error, runAt });
      return { state: 'queued' as const, runAt };
    });
  }

  async cancel(id: string): Promise<CancelResult> {
    return this.ctx.exec.writeChecked(() => {
      const t = this.q.attempt.get(this.space, id) as AttemptRow | undefined;
      if (!t) throw new NotFoundError(`task ${id}`);
      const decision = cancelDecision(t.state);
      if (decision === 'cancel') {
        this.q.cancel.run(this.ctx.clock.now(), this.space, id);
        this.total('canceled');
        return { state: 'canceled' as const, cancelRequested: t.cancel_requested === 1 };
      }
      if (decision === 'request') {
        this.q.requestCancel.run(this.space, id);
        return { state: t.state, cancelRequested: true };
      }
      return { state: t.state, cancelRequested: t.cancel_requested === 1 };
    });
  }

  async acknowledgeCancel(id: string, token: string): Promise<void> {
    // Checks, then one statement: no savepoint needed.
    return this.ctx.exec.writeChecked(() => {
      leaseJudgement(this.ctx.beforeLeaseJudgement, { kind: 'queue', operation: 'acknowledgeCancel', key: id });
      const now = this.ctx.clock.now();
      const t = this.attempt(id, token, 'acknowledgeCancel', now);
      if (t.cancel_requested !== 1) throw noCancelRequest(id);
      this.finish(t, now, { state: 'canceled', history: this.ended(t, 'canceled', null, now) });
      this.total('canceled');
    });
  }

  /** Removes due finished tasks with their idempotency keys (see sqlite-task-pruning.ts). */
  async prune(limit: number): Promise<number> {
    return new SqliteTaskPruning(this.ctx, this.binding).prune(limit);
  }

  async reap(): Promise<ReapReport> {
    return this.ctx.exec.write(() => {
      const now = this.ctx.clock.now();
      const max = this.binding.maxRuntimeMs;
      const report = emptyReapReport();
      // Conditional on what the rows say inside this write transaction: a second reap finds nothing to do.
      const rows = this.q.reapable.all(this.space, now, max ?? null, max ?? 0, now) as AttemptRow[];
      for (const t of rows) {
        const reaped = reapAttempt(t.started_at as number, t.lease_expires_at as number, now, max);
        if (!reaped) continue;
        const history = this.ended(t, reaped.outcome, reaped.error, now);
        this.total('lost');
        if (t.cancel_requested === 1) {
          this.finish(t, now, { state: 'canceled', history });
          this.total('canceled');
          countReaped(report, reaped, 'canceled');
          continue;
        }
        const next = this.retryOrFail(t, true);
        const runAt = next.state === 'queued' ? { runAt: now + next.delayMs } : {};
        this.finish(t, now, { state: next.state, history, ...runAt });
        countReaped(report, reaped, next.state);
      }
      return report;
    });
  }

  async get(id: string): Promise<TaskInfo | null> {
    return this.ctx.exec.read(() => {
      const t = this.row(id);
      if (!t) return null;
      return {
        id: t.id,
        queue: t.queue,
        state: t.state,
        payload: t.payload,
        priority: t.priority,
        runAt: t.run_at,
        enqueuedAt: t.enqueued_at,
        attempts: t.attempts,
        maxAttempts: t.max_attempts,
        idempotencyKey: t.idempotency_key,
        cancelRequested: t.cancel_requested === 1,
        leaseExpiresAt: t.lease_expires_at,
        result: t.result,
        lastError: t.last_error,
        history: JSON.parse(t.history) as AttemptRecord[],
      };
    });
  }

  async counters(): Promise<QueueCounters> {
    return this.ctx.exec.read(() => {
      return {
        queued: (this.q.queued.get(this.space) as { n: number }).n,
        running: (this.q.running.get(this.space) as { n: number }).n,
        succeeded: this.readTotal('succeeded'),
        failed: this.readTotal('failed'),
        canceled: this.readTotal('canceled'),
        lost: this.readTotal('lost'),
      };
    });
  }
}
