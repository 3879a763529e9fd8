import { isDeepStrictEqual } from 'node:util';
import type { RequirementId } from '../requirements/requirement-ids.js';
import { expectModel, show } from './model-mismatch.js';
import { describeOutcome, type Outcome } from './outcome.js';
import { claimBlame, claimSelection } from './queue-claim-selection.js';
import { backoffBounds, type QueueSettings } from './queue-settings.js';
import { expectedTaskView, taskFieldRequirement } from './queue-task-view.js';
import { enqueuedTask, type EnqueueItem, type Task } from './queue-task.js';

/**
 * Reference model of a queue surface (spec/contract/queue.md), independent of any adapter. Ids,
 * tokens and jittered due times are the backend's to choose: the model learns them and checks
 * them against the contract's rules.
 */
export class QueueModel {
  private readonly tasks = new Map<string, Task>();
  private readonly byKey = new Map<string, string>();
  private seq = 0;
  private readonly totals = { succeeded: 0, failed: 0, canceled: 0, lost: 0 };

  constructor(
    private readonly now: () => number,
    private readonly settings: QueueSettings,
  ) {}

  /** Known task ids in enqueue order. */
  ids(): string[] {
    return [...this.tasks.values()].sort((a, b) => a.seq - b.seq).map((t) => t.id);
  }

  /** Ids of running tasks, oldest attempt first: attempt operations mostly target these. */
  runningIds(): string[] {
    return [...this.tasks.values()]
      .filter((t) => t.state === 'running')
      .sort((a, b) => (a.startedAt as number) - (b.startedAt as number) || a.seq - b.seq)
      .map((t) => t.id);
  }

  /** The current token of a running task, or a token of an earlier attempt, or a forged one. */
  tokenFor(id: string, choice: 'current' | 'old'): string {
    const t = this.tasks.get(id);
    if (choice === 'current' && t?.token) return t.token;
    const old = [...(t?.tokens ?? [])].filter((x) => x !== t?.token);
    return old[old.length - 1] ?? `forged-${id}`;
  }

  checkEnqueue(
    items: readonly EnqueueItem[],
    observed: Outcome<ReadonlyArray<{ id: string; deduped: boolean }>>,
    batch: boolean,
  ): void {
    expectModel(
      observed.ok && observed.value.length === items.length,
      [batch ? 'QUE-003' : 'QUE-001'],
      () => `enqueue of ${items.length} gave ${describeOutcome(observed)}`,
    );
    const now = this.now();
    items.forEach((item, i) => {
      const got = observed.value[i] as { id: string; deduped: boolean };
      const existing = item.idempotencyKey === undefined ? undefined : this.byKey.get(item.idempotencyKey);
      if (existing !== undefined) {
        expectModel(
          got.deduped && got.id === existing,
          ['QUE-002'],
          () =>
            `enqueue with idempotency key ${show(item.idempotencyKey)} gave ${show(got)}, expected task ${existing} deduped`,
        );
        return;
      }
      expectModel(
        !got.deduped && typeof got.id === 'string' && !this.tasks.has(got.id),
        ['QUE-001'],
        () => `enqueue gave ${show(got)}: expected a new task with a fresh id`,
      );
      this.tasks.set(got.id, enqueuedTask(got.id, item, ++this.seq, now, this.settings.retry.maxAttempts));
      if (item.idempotencyKey !== undefined) this.byKey.set(item.idempotencyKey, got.id);
    });
  }

  private leaseEnd(startedAt: number, leaseMs: number): number {
    const max = this.settings.maxRuntimeMs;
    return max === undefined ? this.now() + leaseMs : Math.min(this.now() + leaseMs, startedAt + max);
  }

  checkClaim(
    worker: string,
    queues: readonly string[],
    limit: number,
    leaseMs: number,
    observed: Outcome<
      ReadonlyArray<{
        id: string;
        attempt: number;
        token: string;
        leaseExpiresAt: number;
        payload: unknown;
        queue: string;
        priority: number;
        maxAttempts: number;
      }>
    >,
  ): void {
    const now = this.now();
    const { candidates, want } = claimSelection(this.tasks.values(), queues, limit, now, this.settings.concurrency);
    expectModel(observed.ok, ['QUE-004'], () => `claim failed: ${describeOutcome(observed)}`);
    const gotIds = observed.value.map((t) => t.id);
    const wantIds = want.map((t) => t.id);
    if (!isDeepStrictEqual(gotIds, wantIds)) {
      const stray = gotIds.find((id) => !candidates.some((c) => c.id === id));
      const strayTask = stray === undefined ? undefined : this.tasks.get(stray);
      const blame = claimBlame(strayTask, gotIds, wantIds, now, this.settings.concurrency);
      expectModel(
        false,
        blame,
        () =>
          `claim(${show(worker)}, queues ${show(queues)}, limit ${limit}) took ${show(gotIds)}, expected ${show(wantIds)} (${stray ? `${stray} is ${strayTask?.state}` : 'order or limits differ'})`,
      );
    }
    observed.value.forEach((got, i) => {
      const t = want[i] as Task;
      expectModel(
        got.attempt === t.attempts + 1,
        ['QUE-008'],
        () => `claim of ${t.id} started attempt ${got.attempt}, expected ${t.attempts + 1}`,
      );
      expectModel(
        typeof got.token === 'string' && !t.tokens.has(got.token),
        ['QUE-009'],
        () => `claim of ${t.id} returned token ${show(got.token)}, already used by an earlier attempt`,
      );
      const lease = this.leaseEnd(now, leaseMs);
      expectModel(
        got.leaseExpiresAt === lease,
        ['QUE-009'],
        () => `claim of ${t.id} leases until ${got.leaseExpiresAt}, expected ${lease}`,
      );
      expectModel(
        isDeepStrictEqual(got.payload, t.payload) &&
          got.queue === t.queue &&
          got.priority === t.priority &&
          got.maxAttempts === t.maxAttempts,
        ['QUE-001'],
        () => `claimed task ${show(got)} does not carry what was enqueued`,
      );
      t.attempts += 1;
      t.state = 'running';
      t.token = got.token;
      t.tokens.add(got.token);
      t.startedAt = now;
      t.leaseExpiresAt = lease;
      t.cancelRequested = false;
      t.history.push({ attempt: t.attempts, worker, startedAt: now, endedAt: null, outcome: 'running', error: null });
    });
  }

  /** Whether `token` names the running, unexpired attempt of `id`. */
  private valid(t: Task | undefined, token: string): boolean {
    return t !== undefined && t.state === 'running' && t.token === token && this.now() < (t.leaseExpiresAt as number);
  }

  private lost(op: string, t: Task | undefined, token: string, observed: Outcome<unknown>): boolean {
    if (!t) {
      expectModel(
        !observed.ok && observed.code === 'STATEPROOF_NOT_FOUND',
        ['QUE-010'],
        () => `${op} of an unknown task gave ${describeOutcome(observed)}, expected STATEPROOF_NOT_FOUND`,
      );
      return true;
    }
    if (this.valid(t, token)) return false;
    expectModel(
      !observed.ok && observed.code === 'STATEPROOF_LEASE_LOST',
      ['QUE-010'],
      () =>
        `${op} of ${t?.id} with a token that is not the running attempt's (task ${t?.state}, lease until ${t?.leaseExpiresAt}, now ${this.now()}) gave ${describeOutcome(observed)}`,
    );
    return true;
  }

  private end(t: Task, outcome: string, error: string | null): void {
    const a = t.history[t.history.length - 1];
    if (a) Object.assign(a, { outcome, endedAt: this.now(), error });
    t.token = null;
    t.leaseExpiresAt = null;
    t.startedAt = null;
  }

  checkHeartbeat(
    id: string,
    token: string,
    leaseMs: number,
    observed: Outcome<{ leaseExpiresAt: number; cancelRequested: boolean }>,
  ): void {
    const t = this.tasks.get(id);
    if (this.lost('heartbeat', t, token, observed) || !t) return;
    const lease = this.leaseEnd(t.startedAt as number, leaseMs);
    expectModel(
      observed.ok && observed.value.leaseExpiresAt === lease,
      [this.settings.maxRuntimeMs !== undefined && lease < this.now() + leaseMs ? 'QUE-024' : 'QUE-011'],
      () => `heartbeat of ${id} gave ${describeOutcome(observed)}, expected lease until ${lease}`,
    );
    expectModel(
      observed.ok && observed.value.cancelRequested === t.cancelRequested,
      ['QUE-019'],
      () =>
        `heartbeat of ${id} reports cancelRequested ${show(observed.ok && observed.value.cancelRequested)}, expected ${t.cancelRequested}`,
    );
    t.leaseExpiresAt = lease;
  }

  checkComplete(id: string, token: string, result: unknown, observed: Outcome<void>): void {
    const t = this.tasks.get(id);
    if (this.lost('complete', t, token, observed) || !t) return;
    expectModel(observed.ok, ['QUE-012'], () => `complete of ${id} failed: ${describeOutcome(observed)}`);
    this.end(t, 'succeeded', null);
    t.state = 'succeeded';
    t.result = result ?? null;
    this.totals.succeeded++;
  }

  /** After a failed, lost or timed-out attempt: where the task must go, given the due time the adapter chose. */
  private retryOrFail(t: Task, retry: boolean, runAt: number | undefined, req: RequirementId): void {
    if (retry && t.attempts < t.maxAttempts) {
      expectModel(
        runAt !== undefined,
        [req],
        () => `task ${t.id} should be queued again after attempt ${t.attempts} of ${t.maxAttempts}, but it is not`,
      );
      const [lo, hi] = backoffBounds(this.settings.retry, t.attempts);
      expectModel(
        runAt !== undefined && runAt >= this.now() + lo && runAt <= this.now() + hi,
        ['QUE-014'],
        () =>
          `task ${t.id} is due again at ${runAt} after attempt ${t.attempts}; the backoff allows ${this.now() + lo}..${this.now() + hi}`,
      );
      t.state = 'queued';
      t.runAt = runAt;
      return;
    }
    expectModel(
      runAt === undefined,
      ['QUE-015', req],
      () => `task ${t.id} was retried after its last allowed attempt ${t.attempts} of ${t.maxAttempts}`,
    );
    t.state = 'failed';
    this.totals.failed++;
  }

  checkFail(
    id: string,
    token: string,
    error: string,
    retry: boolean,
    observed: Outcome<{ state: string; runAt?: number }>,
  ): void {
    const t = this.tasks.get(id);
    if (this.lost('fail', t, token, observed) || !t) return;
    expectModel(observed.ok, ['QUE-013'], () => `fail of ${id} failed: ${describeOutcome(observed)}`);
    this.end(t, 'failed', error);
    t.lastError = error;
    const queued = observed.value.state === 'queued';
    this.retryOrFail(t, retry, queued ? observed.value.runAt : undefined, 'QUE-013');
  }

  checkCancel(id: string, observed: Outcome<{ state: string; cancelRequested: boolean }>): void {
    const t = this.tasks.get(id);
    if (!t) {
      expectModel(
        !observed.ok && observed.code === 'STATEPROOF_NOT_FOUND',
        ['QUE-021'],
        () => `cancel of an unknown task gave ${describeOutcome(observed)}`,
      );
      return;
    }
    if (t.state === 'queued') {
      t.state = 'canceled';
      this.totals.canceled++;
    } else if (t.state === 'running') t.cancelRequested = true;
    const req = t.state === 'canceled' && t.attempts === 0 ? 'QUE-018' : t.state === 'running' ? 'QUE-019' : 'QUE-021';
    expectModel(
      observed.ok && observed.value.state === t.state && observed.value.cancelRequested === t.cancelRequested,
      [req],
      () =>
        `cancel of ${id} gave ${describeOutcome(observed)}, expected state ${t.state}, cancelRequested ${t.cancelRequested}`,
    );
  }

  checkAcknowledge(id: string, token: string, observed: Outcome<void>): void {
    const t = this.tasks.get(id);
    if (this.lost('acknowledgeCancel', t, token, observed) || !t) return;
    if (!t.cancelRequested) {
      expectModel(
        !observed.ok && observed.code === 'STATEPROOF_INVALID_TRANSITION',
        ['QUE-020'],
        () => `acknowledgeCancel without a cancel request gave ${describeOutcome(observed)}`,
      );
      return;
    }
    expectModel(observed.ok, ['QUE-020'], () => `acknowledgeCancel of ${id} failed: ${describeOutcome(observed)}`);
    this.end(t, 'canceled', null);
    t.state = 'canceled';
    this.totals.canceled++;
  }

  /** Checks a reap: its report, and each reaped task's new state (runAt observed through `dueAt`). */
  checkReap(
    observed: Outcome<{ lost: number; timedOut: number; requeued: number; failed: number; canceled: number }>,
    dueAt: (id: string) => number | undefined,
  ): void {
    const now = this.now();
    const max = this.settings.maxRuntimeMs;
    const want = { lost: 0, timedOut: 0, requeued: 0, failed: 0, canceled: 0 };
    for (const t of this.tasks.values()) {
      if (t.state !== 'running') continue;
      const overdue = max !== undefined && now >= (t.startedAt as number) + max;
      if (!overdue && now < (t.leaseExpiresAt as number)) continue;
      this.end(t, overdue ? 'timed-out' : 'lost', overdue ? 'maximum runtime exceeded' : 'lease expired');
      this.totals.lost++;
      if (overdue) want.timedOut++;
      else want.lost++;
      if (t.cancelRequested) {
        t.state = 'canceled';
        this.totals.canceled++;
        want.canceled++;
      } else if (t.attempts < t.maxAttempts) {
        this.retryOrFail(t, true, dueAt(t.id), 'QUE-022');
        want.requeued++;
      } else {
        this.retryOrFail(t, false, undefined, 'QUE-022');
        want.failed++;
      }
    }
    expectModel(
      observed.ok && isDeepStrictEqual(observed.value, want),
      [want.timedOut > 0 ? 'QUE-024' : 'QUE-022', 'QUE-023', 'QUE-025'],
      () => `reap gave ${describeOutcome(observed)}, expected ${show(want)}`,
    );
  }

  /** Tasks a reap may touch now: running with an expired lease or past the maximum runtime. */
  reapable(): string[] {
    const now = this.now();
    const max = this.settings.maxRuntimeMs;
    return [...this.tasks.values()]
      .filter(
        (t) =>
          t.state === 'running' &&
          ((max !== undefined && now >= (t.startedAt as number) + max) || now >= (t.leaseExpiresAt as number)),
      )
      .map((t) => t.id);
  }

  checkGet(id: string, observed: Outcome<Record<string, unknown> | null>): void {
    const t = this.tasks.get(id);
    expectModel(observed.ok, ['QUE-026'], () => `get(${id}) failed: ${describeOutcome(observed)}`);
    if (!t) {
      expectModel(observed.value === null, ['QUE-026'], () => `get of an unknown task gave ${show(observed.value)}`);
      return;
    }
    const got = observed.value as Record<string, unknown>;
    const want = expectedTaskView(t, this.settings.attemptHistory);
    for (const [field, value] of Object.entries(want)) {
      const req = taskFieldRequirement(field, t);
      expectModel(
        isDeepStrictEqual(got[field], value),
        [req],
        () => `get(${id}).${field} is ${show(got[field])}, expected ${show(value)}`,
      );
    }
  }

  checkCounters(observed: Outcome<Record<string, number>>): void {
    let queued = 0;
    let running = 0;
    for (const t of this.tasks.values()) {
      if (t.state === 'queued') queued++;
      if (t.state === 'running') running++;
    }
    const want = { queued, running, ...this.totals };
    expectModel(
      observed.ok && isDeepStrictEqual(observed.value, want),
      ['QUE-027'],
      () => `counters gave ${describeOutcome(observed)}, expected ${show(want)}`,
    );
  }
}
