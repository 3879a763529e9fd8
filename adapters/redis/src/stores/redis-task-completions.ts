import { Coalescer, type Outcome } from '@stateproof/core/adapter-kit';
import type { LuaScript } from '../client/lua-script.js';
import { isRefusal, refusalError, type QueueReply } from './redis-attempt-refusal.js';
import type { QueueKeys } from './redis-queue-keys.js';
import type { RedisStoreContext } from './redis-store-context.js';

/** Completion scripts in flight at once per store, and completions per script at most. */
const COMPLETE_IN_FLIGHT = 2;
const COMPLETE_BATCH = 500;

/** One complete() call waiting for its batch. */
export interface Completion {
  readonly id: string;
  readonly token: string;
  readonly result: string | null;
}

/**
 * The completions of one queue store, as the Postgres store batches its own: the calls made in one
 * turn of the event loop share one script (at most two in flight; calls made meanwhile wait and go
 * together). The script judges each completion on its own token, in call order, and answers each
 * with its own outcome; none is acknowledged before the script ran (and, under appendfsync always,
 * before its effects were on disk).
 */
export class RedisTaskCompletions {
  private readonly coalescer: Coalescer<Completion, void>;

  constructor(
    private readonly ctx: RedisStoreContext,
    private readonly keys: QueueKeys,
    /** The completion script (QUEUE_COMPLETE), looked up per batch. */
    private readonly script: () => LuaScript,
  ) {
    this.coalescer = new Coalescer((items) => this.run(items), COMPLETE_IN_FLIGHT, COMPLETE_BATCH);
  }

  /** Completes one attempt with the next batch; resolves once its own outcome is known. */
  async submit(completion: Completion): Promise<void> {
    const hook = this.ctx.testHooks.beforeLeaseJudgement;
    if (!hook) return this.coalescer.submit(completion);
    // The suite's write delay falls right before the script that judges the lease: one at a time.
    await hook({ kind: 'queue', operation: 'complete', key: completion.id });
    const [outcome] = await this.run([completion]);
    if (outcome && !outcome.ok) throw outcome.error;
  }

  private async run(items: readonly Completion[]): Promise<Array<Outcome<void>>> {
    const args: Array<string | number> = [...this.keys.prefixes, items.length];
    for (const c of items) args.push(c.id, c.token, c.result === null ? '0' : '1', c.result ?? '');
    const replies = (await this.ctx.runner.write(
      this.script(),
      items.length === 1 ? 'completing a task' : 'completing tasks',
      this.keys.keys,
      args,
    )) as QueueReply[];
    return items.map((c, i): Outcome<void> => {
      const r = replies[i];
      if (isRefusal(r)) return { ok: false, error: refusalError('complete', c.id, c.token, r) };
      return { ok: true, value: undefined };
    });
  }
}
