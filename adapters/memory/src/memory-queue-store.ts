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
  finishedRetentionCutoff,
  noCancelRequest,
  NotFoundError,
  reapAttempt,
  retryDecision,
  trimHistory,
  type AttemptEnd,
  type AttemptRecord,
  type BeforeLeaseJudgement,
  type ClaimedTask,
  type Clock,
  type EnqueueSpec,
  type QueueBinding,
  type QueueClaimOptions,
  type QueueCounters,
  type QueueStore,
  type ReapReport,
  type TaskInfo,
} from '@stateproof/core/adapter-kit';
import type { MemoryNamespace } from './memory-backend.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A task as the memory adapter keeps it. */
export interface MemoryTask extends Mutable<Omit<TaskInfo, 'history'>> {
  /** Enqueue order. */
  readonly seq: number;
  history: AttemptRecord[];
  /** Lease token of the running attempt. */
  token: string | null;
  /** Start of the running attempt. */
  startedAt: number | null;
  /** Worker of the running attempt. */
  worker: string | null;
}

/** The shared state of one queue surface. */
export interface QueueSpace {
  readonly tasks: Map<string, MemoryTask>;
  readonly byIdempotencyKey: Map<string, string>;
  seq: number;
  readonly totals: { succeeded: number; failed: number; canceled: number; lost: number };
  /** When each finished task finished, in finishing order (what retention prunes from the front). */
  readonly finished: Map<string, number>;
}

/** A new, empty queue space. */
export function newQueueSpace(): QueueSpace {
  return {
    tasks: new Map(),
    byIdempotencyKey: new Map(),
    seq: 0,
    totals: { succeeded: 0, failed: 0, canceled: 0, lost: 0 },
    finished: new Map(),
  };
}

/** Tasks in memory (spec/contract/queue.md). */
export class MemoryQueueStore implements QueueStore {
  private tokens = 0;

  constructor(
    protected readonly space: QueueSpace,
    protected readonly namespace: MemoryNamespace,
    protected readonly binding: QueueBinding,
    protected readonly clock: Clock,
    protected readonly random: () => number,
    /** Test seam (AdapterTestHooks): called at the start of every write of a running attempt. */
    protected readonly beforeLeaseJudgement?: BeforeLeaseJudgement,
  ) {}

  /**
   * Awaits the test seam, if any, before a write of the attempt of `id` judges its lease: the lease
   * is then judged by the clock as it reads, with no await between the judgement and the change.
   */
  protected async leaseJudgement(operation: string, id: string): Promise<void> {
    await this.beforeLeaseJudgement?.({ kind: 'queue', operation, key: id });
  }

  protected create(spec: EnqueueSpec, now: number): EnqueueResult {
    if (spec.idempotencyKey !== undefined) {
      const existing = this.space.byIdempotencyKey.get(spec.idempotencyKey);
      if (existing !== undefined) return { id: existing, deduped: true };
    }
    const id = this.namespace.nextId('t');
    const task: MemoryTask = {
      id,
      seq: ++this.space.seq,
      queue: spec.queue,
      state: 'queued',
      payload: spec.payload,
      priority: spec.priority ?? 0,
      runAt: spec.runAt ?? now,
      enqueuedAt: now,
      attempts: 0,
      maxAttempts: spec.maxAttempts ?? this.binding.retry.maxAttempts,
      idempotencyKey: spec.idempotencyKey ?? null,
      cancelRequested: false,
      leaseExpiresAt: null,
      result: null,
      lastError: null,
      history: [],
      token: null,
      startedAt: null,
      worker: null,
    };
    this.space.tasks.set(id, task);
    if (spec.idempotencyKey !== undefined) this.space.byIdempotencyKey.set(spec.idempotencyKey, id);
    return { id, deduped: false };
  }

  async enqueue(spec: EnqueueSpec): Promise<EnqueueResult> {
    return this.create(spec, this.clock.now());
  }

  async enqueueMany(specs: readonly EnqueueSpec[]): Promise<EnqueueResult[]> {
    // Inputs were validated by core and nothing below can fail, so the batch is all-or-nothing.
    const now = this.clock.now();
    return specs.map((s) => this.create(s, now));
  }

  /** Tasks a claim may take now, best first: priority (higher first), then due time, then enqueue order. */
  protected candidates(queues: readonly string[], now: number): MemoryTask[] {
    const out: MemoryTask[] = [];
    for (const t of this.space.tasks.values()) {
      if (t.state === 'queued' && t.runAt <= now && (queues.length === 0 || queues.includes(t.queue))) out.push(t);
    }
    return out.sort(compareClaimOrder);
  }

  /** Starts the next attempt of `t` for `worker`. */
  protected start(t: MemoryTask, worker: string, now: number, leaseMs: number): ClaimedTask {
    t.attempts += 1;
    t.state = 'running';
    t.token = `${t.attempts}.${(++this.tokens).toString(36)}.${Math.floor(this.random() * 2 ** 32).toString(36)}`;
    t.startedAt = now;
    t.worker = worker;
    t.cancelRequested = false;
    t.leaseExpiresAt = attemptLeaseEnd(now, now, leaseMs, this.binding.maxRuntimeMs);
    const started: AttemptRecord = {
      attempt: t.attempts,
      worker,
      startedAt: now,
      endedAt: null,
      outcome: 'running',
      error: null,
    };
    t.history = trimHistory([...t.history, started], this.binding.attemptHistory);
    return {
      id: t.id,
      queue: t.queue,
      payload: t.payload,
      priority: t.priority,
      attempt: t.attempts,
      maxAttempts: t.maxAttempts,
      token: t.token,
      leaseExpiresAt: t.leaseExpiresAt,
      enqueuedAt: t.enqueuedAt,
    };
  }

  async claim(options: QueueClaimOptions): Promise<ClaimedTask[]> {
    const now = this.clock.now();
    const { global, perQueue } = this.binding.concurrency;
    let running = 0;
    const runningPerQueue = new Map<string, number>();
    for (const t of this.space.tasks.values()) {
      if (t.state !== 'running') continue;
      running++;
      runningPerQueue.set(t.queue, (runningPerQueue.get(t.queue) ?? 0) + 1);
    }
    const claimed: ClaimedTask[] = [];
    for (const t of this.candidates(options.queues, now)) {
      if (claimed.length >= options.limit) break;
      if (global !== undefined && running >= global) break;
      const inQueue = runningPerQueue.get(t.queue) ?? 0;
      if (perQueue !== undefined && inQueue >= perQueue) continue;
      claimed.push(this.start(t, options.worker, now, options.leaseMs));
      running++;
      runningPerQueue.set(t.queue, inQueue + 1);
    }
    return claimed;
  }

  /** The running attempt `token` names, if it is current and its lease holds; else LeaseLostError. */
  protected attempt(id: string, token: string, operation: string): MemoryTask {
    const t = this.space.tasks.get(id);
    const lost = attemptLost(operation, id, token, t, this.clock.now());
    if (lost) throw lost;
    return t as MemoryTask;
  }

  /** Ends the running attempt with `outcome`. */
  protected end(t: MemoryTask, outcome: AttemptEnd['outcome'], error: string | null, now: number): void {
    t.history = endAttempt(t.history, t.attempts, { outcome, endedAt: now, error }, this.binding.attemptHistory);
    t.token = null;
    t.leaseExpiresAt = null;
    t.startedAt = null;
    t.worker = null;
  }

  /** After a failed, lost or timed-out attempt: retry with backoff while attempts remain, else fail. */
  protected retryOrFail(
    t: MemoryTask,
    now: number,
    retry: boolean,
  ): { state: 'queued'; runAt: number } | { state: 'failed' } {
    const next = retryDecision(this.binding.retry, t.attempts, t.maxAttempts, retry, this.random);
    if (next.state === 'queued') {
      t.state = 'queued';
      t.runAt = now + next.delayMs;
      return { state: 'queued', runAt: t.runAt };
    }
    this.finish(t, 'failed', now);
    return { state: 'failed' };
  }

  async heartbeat(id: string, token: string, leaseMs: number): Promise<HeartbeatResult> {
    await this.leaseJudgement('heartbeat', id);
    const t = this.attempt(id, token, 'heartbeat');
    t.leaseExpiresAt = attemptLeaseEnd(t.startedAt as number, this.clock.now(), leaseMs, this.binding.maxRuntimeMs);
    return { leaseExpiresAt: t.leaseExpiresAt, cancelRequested: t.cancelRequested };
  }

  async complete(id: string, token: string, result: string | null): Promise<void> {
    await this.leaseJudgement('complete', id);
    const t = this.attempt(id, token, 'complete');
    const now = this.clock.now();
    this.end(t, 'succeeded', null, now);
    t.result = result;
    this.finish(t, 'succeeded', now);
  }

  async fail(
    id: string,
    token: string,
    error: string,
    options: { readonly retry?: boolean } = {},
  ): Promise<FailResult> {
    await this.leaseJudgement('fail', id);
    const t = this.attempt(id, token, 'fail');
    const now = this.clock.now();
    this.end(t, 'failed', error, now);
    t.lastError = error;
    return this.retryOrFail(t, now, options.retry !== false);
  }

  async cancel(id: string): Promise<CancelResult> {
    const t = this.space.tasks.get(id);
    if (!t) throw new NotFoundError(`task ${id}`);
    const decision = cancelDecision(t.state);
    if (decision === 'cancel') {
      this.finish(t, 'canceled', this.clock.now());
    } else if (decision === 'request') {
      t.cancelRequested = true;
    }
    return { state: t.state, cancelRequested: t.cancelRequested };
  }

  async acknowledgeCancel(id: string, token: string): Promise<void> {
    await this.leaseJudgement('acknowledgeCancel', id);
    const t = this.attempt(id, token, 'acknowledgeCancel');
    if (!t.cancelRequested) throw noCancelRequest(id);
    const now = this.clock.now();
    this.end(t, 'canceled', null, now);
    this.finish(t, 'canceled', now);
  }

  /** Ends `t` in a terminal state: counted, and remembered for retention. */
  protected finish(t: MemoryTask, state: 'succeeded' | 'failed' | 'canceled', now: number): void {
    t.state = state;
    this.space.totals[state]++;
    this.space.finished.set(t.id, now);
  }

  async prune(limit: number): Promise<number> {
    const cutoff = finishedRetentionCutoff(this.clock.now(), this.binding.retention.finishedMs);
    let pruned = 0;
    // Finishing order is time order (one clock), so the due ones are at the front.
    for (const [id, finishedAt] of this.space.finished) {
      if (pruned >= limit || finishedAt > cutoff) break;
      this.removeFinished(id);
      pruned++;
    }
    return pruned;
  }

  /** Removes a finished task with its idempotency key; the totals keep counting it. */
  protected removeFinished(id: string): void {
    const t = this.space.tasks.get(id);
    this.space.finished.delete(id);
    this.space.tasks.delete(id);
    if (t?.idempotencyKey != null && this.space.byIdempotencyKey.get(t.idempotencyKey) === id)
      this.space.byIdempotencyKey.delete(t.idempotencyKey);
  }

  /** Running tasks the reaper looks at: every worker's. */
  protected reapable(): MemoryTask[] {
    return [...this.space.tasks.values()].filter((t) => t.state === 'running');
  }

  async reap(): Promise<ReapReport> {
    const now = this.clock.now();
    const report = emptyReapReport();
    for (const t of this.reapable()) {
      const reaped = reapAttempt(t.startedAt as number, t.leaseExpiresAt as number, now, this.binding.maxRuntimeMs);
      if (!reaped) continue;
      this.end(t, reaped.outcome, reaped.error, now);
      this.space.totals.lost++;
      if (t.cancelRequested) {
        this.finish(t, 'canceled', now);
        countReaped(report, reaped, 'canceled');
      } else countReaped(report, reaped, this.retryOrFail(t, now, true).state);
    }
    return report;
  }

  async get(id: string): Promise<TaskInfo | null> {
    const t = this.space.tasks.get(id);
    if (!t) return null;
    return {
      id: t.id,
      queue: t.queue,
      state: t.state,
      payload: t.payload,
      priority: t.priority,
      runAt: t.runAt,
      enqueuedAt: t.enqueuedAt,
      attempts: t.attempts,
      maxAttempts: t.maxAttempts,
      idempotencyKey: t.idempotencyKey,
      cancelRequested: t.cancelRequested,
      leaseExpiresAt: t.leaseExpiresAt,
      result: t.result,
      lastError: t.lastError,
      history: t.history.map((a) => ({ ...a })),
    };
  }

  async counters(): Promise<QueueCounters> {
    let queued = 0;
    let running = 0;
    for (const t of this.space.tasks.values()) {
      if (t.state === 'queued') queued++;
      else if (t.state === 'running') running++;
    }
    return { queued, running, ...this.space.totals };
  }
}
