import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import {
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
  type ClaimOrderKey,
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
import type { StoreContext } from './store-context.js';

interface TaskRow {
  id: string;
  seq: number;
  queue: string;
  state: TaskState;
  payload: string;
  priority: number;
  run_at: number;
  enqueued_at: number;
  attempts: number;
  max_attempts: number;
  idempotency_key: string | null;
  cancel_requested: number;
  lease_expires_at: number | null;
  result: string | null;
  last_error: string | null;
  token: string | null;
  started_at: number | null;
  worker: string | null;
  history: string;
}

type Totals = 'succeeded' | 'failed' | 'canceled' | 'lost';

/** What the claim order compares of a row. */
function claimOrderOf(r: Pick<TaskRow, 'priority' | 'run_at' | 'seq'>): ClaimOrderKey {
  return { priority: r.priority, runAt: r.run_at, seq: r.seq };
}

/** The columns of a task that the attempt operations need (not the payload nor the result). */
type AttemptRow = Omit<TaskRow, 'payload' | 'result'>;

const ATTEMPT_COLUMNS = 'id, seq, queue, state, priority, run_at, enqueued_at, attempts, max_attempts, idempotency_key, cancel_requested, lease_expires_at, last_error, token, started_at, worker, history';

const COLUMNS =
  'id, seq, queue, state, payload, priority, run_at, enqueued_at, attempts, max_attempts, idempotency_key, cancel_requested, lease_expires_at, result, last_error, token, started_at, worker, history';

/**
 * Tasks in SQLite (spec/contract/queue.md). `claim` is one `UPDATE … RETURNING` whose subquery picks
 * the due tasks in contract order (priority, due time, enqueue order) within the concurrency limits,
 * so two processes claiming at once can never take the same task: the write lock serialises them and
 * the second sees the first's tasks running. Every later write of an attempt is compare-and-set on its
 * lease token; the reaper recovers expired attempts of every worker, conditionally and idempotently.
 */
export class SqliteQueueStore implements QueueStore {
  private readonly space: string;
  private readonly q: {
    readonly row: Database.Statement;
    readonly attempt: Database.Statement;
    readonly byKey: Database.Statement;
    readonly insert: Database.Statement;
    readonly running: Database.Statement;
    readonly queued: Database.Statement;
    readonly claim: Database.Statement;
    readonly heartbeat: Database.Statement;
    readonly finish: Database.Statement;
    readonly cancel: Database.Statement;
    readonly requestCancel: Database.Statement;
    readonly reapable: Database.Statement;
  };

  constructor(
    private readonly ctx: StoreContext,
    private readonly binding: QueueBinding,
  ) {
    const t = ctx.tables.tasks;
    this.space = binding.space;
    const filter = `(:any = 1 OR queue IN (SELECT value FROM json_each(:queues)))`;
    const candidates =
      binding.concurrency.perQueue === undefined
        ? `SELECT id FROM ${t} WHERE space = :space AND state = 'queued' AND run_at <= :now AND ${filter} ORDER BY priority DESC, run_at, seq LIMIT :cap`
        : `SELECT id FROM (
             SELECT q.id, q.priority, q.run_at, q.seq,
               ROW_NUMBER() OVER (PARTITION BY q.queue ORDER BY q.priority DESC, q.run_at, q.seq) AS rank,
               (SELECT count(*) FROM ${t} r WHERE r.space = :space AND r.state = 'running' AND r.queue = q.queue) AS busy
             FROM ${t} q WHERE q.space = :space AND q.state = 'queued' AND q.run_at <= :now AND ${filter}
           ) WHERE rank + busy <= :perQueue ORDER BY priority DESC, run_at, seq LIMIT :cap`;
    const entry = `json_object('attempt', attempts + 1, 'worker', :worker, 'startedAt', :now, 'endedAt', NULL, 'outcome', 'running', 'error', NULL)`;
    this.q = {
      row: ctx.sql.get(`SELECT ${COLUMNS} FROM ${t} WHERE space = ? AND id = ?`),
      // What the compare-and-set of an attempt needs, without the payload and result (up to a MiB each).
      attempt: ctx.sql.get(`SELECT ${ATTEMPT_COLUMNS} FROM ${t} WHERE space = ? AND id = ?`),
      byKey: ctx.sql.get(`SELECT id FROM ${t} WHERE space = ? AND idempotency_key = ?`),
      insert: ctx.sql.get(
        `INSERT INTO ${t} (space, id, seq, queue, state, payload, priority, run_at, enqueued_at, attempts, max_attempts, idempotency_key, cancel_requested, history)
         VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, 0, ?, ?, 0, '[]')`,
      ),
      running: ctx.sql.get(`SELECT count(*) AS n FROM ${t} WHERE space = ? AND state = 'running'`),
      queued: ctx.sql.get(`SELECT count(*) AS n FROM ${t} WHERE space = ? AND state = 'queued'`),
      claim: ctx.sql.get(
        `UPDATE ${t} SET state = 'running', attempts = attempts + 1, token = (attempts + 1) || '.' || :nonce, started_at = :now, worker = :worker,
           cancel_requested = 0, lease_expires_at = :lease,
           history = CASE WHEN json_array_length(history) >= :keep THEN json_remove(json_insert(history, '$[#]', ${entry}), '$[0]') ELSE json_insert(history, '$[#]', ${entry}) END
         WHERE space = :space AND id IN (${candidates})
         RETURNING id, queue, payload, priority, attempts, max_attempts, token, lease_expires_at, enqueued_at, run_at, seq`,
      ),
      heartbeat: ctx.sql.get(`UPDATE ${t} SET lease_expires_at = ? WHERE space = ? AND id = ?`),
      finish: ctx.sql.get(
        `UPDATE ${t} SET state = ?, history = ?, run_at = ?, result = coalesce(?, result), last_error = coalesce(?, last_error),
           token = NULL, lease_expires_at = NULL, started_at = NULL, worker = NULL
         WHERE space = ? AND id = ?`,
      ),
      cancel: ctx.sql.get(`UPDATE ${t} SET state = 'canceled' WHERE space = ? AND id = ?`),
      requestCancel: ctx.sql.get(`UPDATE ${t} SET cancel_requested = 1 WHERE space = ? AND id = ?`),
      reapable: ctx.sql.get(`SELECT ${ATTEMPT_COLUMNS} FROM ${t} WHERE space = ? AND state = 'running' AND (lease_expires_at <= ? OR (? IS NOT NULL AND started_at + ? <= ?)) ORDER BY seq`),
    };
  }

  private row(id: string): TaskRow | undefined {
    return this.q.row.get(this.space, id) as TaskRow | undefined;
  }

  /** Creates a task with sequence number `seq` (from the namespace-wide id counter), unless its idempotency key exists. */
  private create(spec: EnqueueSpec, now: number, seq: number): { id: string; deduped: boolean } {
    if (spec.idempotencyKey !== undefined) {
      const existing = this.q.byKey.get(this.space, spec.idempotencyKey) as { id: string } | undefined;
      if (existing) return { id: existing.id, deduped: true };
    }
    // One namespace-wide counter gives both the id (unique in the namespace) and the enqueue order.
    const id = `t${seq.toString(36)}`;
    this.q.insert.run(this.space, id, seq, spec.queue, spec.payload, spec.priority ?? 0, spec.runAt ?? now, now, spec.maxAttempts ?? this.binding.retry.maxAttempts, spec.idempotencyKey ?? null);
    return { id, deduped: false };
  }

  async enqueue(spec: EnqueueSpec): Promise<{ id: string; deduped: boolean }> {
    return this.ctx.exec.write(() => this.create(spec, this.ctx.clock.now(), this.ctx.counters.bump('', 'ids')));
  }

  async enqueueMany(specs: readonly EnqueueSpec[]): Promise<Array<{ id: string; deduped: boolean }>> {
    // One operation, so one savepoint: the batch is all or nothing, deduplicated within itself too.
    return this.ctx.exec.write(() => {
      const now = this.ctx.clock.now();
      // Numbers for the whole batch at once (a deduplicated item leaves its number unused: ids need no contiguity).
      const first = this.ctx.counters.bump('', 'ids', specs.length) - specs.length + 1;
      return specs.map((s, i) => this.create(s, now, first + i));
    });
  }

  async claim(options: QueueClaimOptions): Promise<ClaimedTask[]> {
    const nonce = randomBytes(6).toString('hex');
    return this.ctx.exec.write(() => {
      const now = this.ctx.clock.now();
      const { global, perQueue } = this.binding.concurrency;
      let cap = options.limit;
      if (global !== undefined) cap = Math.max(0, Math.min(cap, global - (this.q.running.get(this.space) as { n: number }).n));
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
      }) as Array<Pick<TaskRow, 'id' | 'queue' | 'payload' | 'priority' | 'attempts' | 'max_attempts' | 'token' | 'lease_expires_at' | 'enqueued_at' | 'run_at' | 'seq'>>;
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

  /** Writes the end of the running attempt and the task's next state. */
  private finish(t: AttemptRow, set: { state: TaskState; history: string; runAt?: number; result?: string | null; lastError?: string }): void {
    // A task runs to `succeeded` at most once, so a result is only ever written once; null keeps what is there.
    this.q.finish.run(set.state, set.history, set.runAt ?? t.run_at, set.result ?? null, set.lastError ?? null, this.space, t.id);
  }

  private total(name: Totals): void {
    this.ctx.counters.bump(this.space, name);
  }

  /** After a failed, lost or timed-out attempt: the retry (with the pinned backoff) while attempts remain, else failure. */
  private retryOrFail(t: AttemptRow, retry: boolean): RetryDecision {
    const next = retryDecision(this.binding.retry, t.attempts, t.max_attempts, retry, this.ctx.random);
    if (next.state === 'failed') this.total('failed');
    return next;
  }

  async heartbeat(id: string, token: string, leaseMs: number): Promise<{ leaseExpiresAt: number; cancelRequested: boolean }> {
    return this.ctx.exec.write(() => {
      const now = this.ctx.clock.now();
      const t = this.attempt(id, token, 'heartbeat', now);
      const leaseExpiresAt = attemptLeaseEnd(t.started_at as number, now, leaseMs, this.binding.maxRuntimeMs);
      this.q.heartbeat.run(leaseExpiresAt, this.space, id);
      return { leaseExpiresAt, cancelRequested: t.cancel_requested === 1 };
    });
  }

  async complete(id: string, token: string, result: string | null): Promise<void> {
    return this.ctx.exec.write(() => {
      const now = this.ctx.clock.now();
      const t = this.attempt(id, token, 'complete', now);
      this.finish(t, { state: 'succeeded', history: this.ended(t, 'succeeded', null, now), result });
      this.total('succeeded');
    });
  }

  async fail(id: string, token: string, error: string, options: { readonly retry?: boolean } = {}): Promise<{ state: 'queued'; runAt: number } | { state: 'failed' }> {
    return this.ctx.exec.write(() => {
      const now = this.ctx.clock.now();
      const t = this.attempt(id, token, 'fail', now);
      const next = this.retryOrFail(t, options.retry !== false);
      const history = this.ended(t, 'failed', error, now);
      if (next.state === 'failed') {
        this.finish(t, { state: 'failed', history, lastError: error });
        return { state: 'failed' as const };
      }
      const runAt = now + next.delayMs;
      this.finish(t, { state: 'queued', history, lastError: error, runAt });
      return { state: 'queued' as const, runAt };
    });
  }

  async cancel(id: string): Promise<{ state: TaskState; cancelRequested: boolean }> {
    return this.ctx.exec.write(() => {
      const t = this.q.attempt.get(this.space, id) as AttemptRow | undefined;
      if (!t) throw new NotFoundError(`task ${id}`);
      const decision = cancelDecision(t.state);
      if (decision === 'cancel') {
        this.q.cancel.run(this.space, id);
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
    return this.ctx.exec.write(() => {
      const now = this.ctx.clock.now();
      const t = this.attempt(id, token, 'acknowledgeCancel', now);
      if (t.cancel_requested !== 1) throw noCancelRequest(id);
      this.finish(t, { state: 'canceled', history: this.ended(t, 'canceled', null, now) });
      this.total('canceled');
    });
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
          this.finish(t, { state: 'canceled', history });
          this.total('canceled');
          countReaped(report, reaped, 'canceled');
          continue;
        }
        const next = this.retryOrFail(t, true);
        const runAt = next.state === 'queued' ? { runAt: now + next.delayMs } : {};
        this.finish(t, { state: next.state, history, ...runAt });
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
      const c = this.ctx.counters;
      return {
        queued: (this.q.queued.get(this.space) as { n: number }).n,
        running: (this.q.running.get(this.space) as { n: number }).n,
        succeeded: c.read(this.space, 'succeeded'),
        failed: c.read(this.space, 'failed'),
        canceled: c.read(this.space, 'canceled'),
        lost: c.read(this.space, 'lost'),
      };
    });
  }
}
