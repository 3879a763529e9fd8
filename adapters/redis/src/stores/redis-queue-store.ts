import {
  type CancelResult,
  type EnqueueResult,
  type FailResult,
  type HeartbeatResult,
  noCancelRequest,
  NotFoundError,
  retryDecision,
  WakeSignal,
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
import {
  QUEUE_ACKNOWLEDGE_CANCEL,
  QUEUE_COMPLETE,
  QUEUE_FAIL,
  QUEUE_HEARTBEAT,
} from '../scripts/queue-attempt-scripts.js';
import { QUEUE_PRUNE, QUEUE_REAP_APPLY, QUEUE_REAP_READ } from '../scripts/queue-reap-scripts.js';
import { QUEUE_CANCEL, QUEUE_CLAIM, QUEUE_COUNTERS, QUEUE_ENQUEUE, QUEUE_GET } from '../scripts/queue-scripts.js';
import { isRefusal, refusalError, type QueueReply } from './redis-attempt-refusal.js';
import { queueKeys, readyHead, tokenAttempt, type QueueKeys } from './redis-queue-keys.js';
import type { RedisStoreContext } from './redis-store-context.js';
import { RedisTaskClaims } from './redis-task-claims.js';
import { RedisTaskCompletions } from './redis-task-completions.js';
import { taskFromReply } from './redis-task-read.js';
import { reapTasks } from './redis-task-reaper.js';

/**
 * Tasks in Redis (spec/contract/queue.md; structures in scripts/queue-lua.ts). Every operation is
 * one script, run atomically with the server's clock:
 *
 * - enqueue(Many) dedupes by idempotency key, takes ids from the namespace's counter and puts each
 *   task in its queue's ready set (or the delayed set), then publishes a wake-up hint;
 * - claim moves due delayed tasks to their ready sets, merges the heads of the requested queues'
 *   ready sets in claim order within the concurrency limits, and starts the attempts of one batch;
 *   claims issued in one turn of the event loop share one script, each served in call order;
 * - every later write of an attempt is compare-and-set on its token, with the lease judged by the
 *   clock as the script runs; completions issued in one turn of the event loop share one script;
 * - the reaper reads expired attempts of every worker from the running set by lease end, decides
 *   with core's rules, and applies the decisions conditionally;
 * - retention's prune removes the finished tasks whose window ended, oldest first, from the
 *   finished set by finish instant, in batches the caller bounds.
 *
 * No script scans: claims and completions touch only the tasks they start or end (and the due
 * delayed tasks, each once); finished tasks leave every live set and keep their hash and history,
 * listed by finish instant for prune only.
 */
export class RedisQueueStore implements QueueStore {
  /** The scripts of each operation: a seam for the conformance kit's mutants, which swap one for a broken one. */
  protected scripts = {
    enqueue: QUEUE_ENQUEUE,
    claim: QUEUE_CLAIM,
    heartbeat: QUEUE_HEARTBEAT,
    complete: QUEUE_COMPLETE,
    fail: QUEUE_FAIL,
    cancel: QUEUE_CANCEL,
    acknowledgeCancel: QUEUE_ACKNOWLEDGE_CANCEL,
    reapRead: QUEUE_REAP_READ,
    reapApply: QUEUE_REAP_APPLY,
    prune: QUEUE_PRUNE,
    get: QUEUE_GET,
    counters: QUEUE_COUNTERS,
  };
  private readonly keys: QueueKeys;
  private readonly claims: RedisTaskClaims;
  private readonly completions: RedisTaskCompletions;

  constructor(
    protected readonly ctx: RedisStoreContext,
    protected readonly binding: QueueBinding,
  ) {
    this.keys = queueKeys(ctx.keys, ctx.ns);
    // The script is looked up per batch, so that a mutant's swap in its constructor reaches it.
    this.claims = new RedisTaskClaims(ctx, this.keys, binding, () => this.scripts.claim);
    this.completions = new RedisTaskCompletions(ctx, this.keys, () => this.scripts.complete);
  }

  /** The script's arguments: the surface's prefixes, then `args`. */
  private args(...args: Array<string | number>): Array<string | number> {
    return [...this.keys.prefixes, ...args];
  }

  /** Awaits the suite's write delay, if any, right before a script that judges a lease runs. */
  private async beforeJudgement(operation: string, id: string): Promise<void> {
    await this.ctx.testHooks.beforeLeaseJudgement?.({ kind: 'queue', operation, key: id });
  }

  async enqueue(spec: EnqueueSpec): Promise<EnqueueResult> {
    return (await this.enqueueMany([spec]))[0] as { id: string; deduped: boolean };
  }

  async enqueueMany(specs: readonly EnqueueSpec[]): Promise<EnqueueResult[]> {
    if (specs.length === 0) return [];
    const args = this.args(specs.length);
    for (const s of specs)
      args.push(
        s.queue,
        s.payload,
        s.priority ?? 0,
        s.runAt === undefined ? '' : String(s.runAt),
        s.maxAttempts ?? this.binding.retry.maxAttempts,
        s.idempotencyKey ?? '',
        s.runAt === undefined ? '' : readyHead(s.runAt),
      );
    const reply = (await this.ctx.runner.write(
      this.scripts.enqueue,
      specs.length === 1 ? 'enqueueing a task' : 'enqueueing tasks',
      this.keys.keys,
      args,
    )) as Array<[string, number]>;
    return reply.map(([id, deduped]) => ({ id: String(id), deduped: deduped === 1 }));
  }

  /** Claims made in one turn of the event loop share one script (see {@link RedisTaskClaims}). */
  async claim(options: QueueClaimOptions): Promise<ClaimedTask[]> {
    return this.claims.submit(options);
  }

  async heartbeat(id: string, token: string, leaseMs: number): Promise<HeartbeatResult> {
    await this.beforeJudgement('heartbeat', id);
    const r = (await this.ctx.runner.write(
      this.scripts.heartbeat,
      'renewing the lease of a task',
      this.keys.keys,
      this.args(id, token, leaseMs, this.binding.maxRuntimeMs ?? ''),
    )) as QueueReply;
    if (isRefusal(r)) throw refusalError('heartbeat', id, token, r);
    return { leaseExpiresAt: Number(r[1]), cancelRequested: r[2] === 1 };
  }

  /** Completions issued in one turn of the event loop share one script (see {@link RedisTaskCompletions}). */
  async complete(id: string, token: string, result: string | null): Promise<void> {
    return this.completions.submit({ id, token, result });
  }

  async fail(
    id: string,
    token: string,
    error: string,
    options: { readonly retry?: boolean } = {},
  ): Promise<FailResult> {
    // Core decides on the attempt and maximum the token was issued for; the script applies the
    // decision only while that token is the running attempt's, so they are the task's too.
    const issued = tokenAttempt(token);
    const next = issued
      ? retryDecision(this.binding.retry, issued.attempt, issued.maxAttempts, options.retry !== false, this.ctx.random)
      : ({ state: 'failed' } as const);
    await this.beforeJudgement('fail', id);
    const r = (await this.ctx.runner.write(
      this.scripts.fail,
      'failing a task',
      this.keys.keys,
      this.args(id, token, error, next.state, next.state === 'queued' ? next.delayMs : 0, this.binding.attemptHistory),
    )) as QueueReply;
    if (isRefusal(r)) throw refusalError('fail', id, token, r);
    return r[0] === 'queued' ? { state: 'queued', runAt: Number(r[1]) } : { state: 'failed' };
  }

  async cancel(id: string): Promise<CancelResult> {
    const r = (await this.ctx.runner.write(this.scripts.cancel, 'canceling a task', this.keys.keys, this.args(id))) as [
      string,
      number?,
    ];
    if (r[0] === 'not-found') throw new NotFoundError(`task ${id}`);
    return { state: r[0] as TaskState, cancelRequested: r[1] === 1 };
  }

  async acknowledgeCancel(id: string, token: string): Promise<void> {
    await this.beforeJudgement('acknowledgeCancel', id);
    const r = (await this.ctx.runner.write(
      this.scripts.acknowledgeCancel,
      'canceling a task',
      this.keys.keys,
      this.args(id, token, this.binding.attemptHistory),
    )) as QueueReply;
    if (isRefusal(r)) throw refusalError('acknowledgeCancel', id, token, r);
    if (r[0] === 'no-request') throw noCancelRequest(id);
  }

  /**
   * One script (QUEUE_PRUNE): the oldest finished tasks due by the server clock, at most `limit`,
   * removed with their history, result and idempotency key; the counters stay (QUE-037, QUE-038).
   */
  async prune(limit: number): Promise<number> {
    const r = await this.ctx.runner.write(
      this.scripts.prune,
      'pruning finished tasks',
      this.keys.keys,
      this.args(limit, this.binding.retention.finishedMs),
    );
    return Number(r);
  }

  async reap(): Promise<ReapReport> {
    return reapTasks(this.ctx, this.keys, this.binding, {
      read: this.scripts.reapRead,
      apply: this.scripts.reapApply,
    });
  }

  async get(id: string): Promise<TaskInfo | null> {
    const r = (await this.ctx.runner.read(this.scripts.get, 'reading a task', this.keys.keys, this.args(id))) as Array<
      string | null | string[]
    > | null;
    return r ? taskFromReply(id, r, this.binding.attemptHistory) : null;
  }

  async counters(): Promise<QueueCounters> {
    const r = (await this.ctx.runner.read(
      this.scripts.counters,
      'reading queue counters',
      this.keys.keys,
      this.args(),
    )) as number[];
    const [queued, running, succeeded, failed, canceled, lost] = r.map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    return { queued, running, succeeded, failed, canceled, lost };
  }

  /**
   * Resolves when new tasks may be due in this surface (an enqueue, or a retry due at once, in any
   * process published a hint) or after `timeoutMs`, whichever is first: the wait of a worker loop
   * between claims. A hint only, never a promise of work; claim decides. A dropped subscription
   * (null message) also wakes it, since hints may have been lost meanwhile.
   */
  async waitForTasks(timeoutMs: number): Promise<void> {
    const signal = new WakeSignal();
    const listening = this.ctx.subscriber.listen(this.keys.wake, () => signal.poke());
    listening.ready.catch(() => undefined);
    try {
      await signal.wait(timeoutMs);
    } finally {
      listening.close();
    }
  }
}
