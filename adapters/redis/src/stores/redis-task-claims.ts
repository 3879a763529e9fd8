import { randomBytes } from 'node:crypto';
import {
  Coalescer,
  type ClaimedTask,
  type Outcome,
  type QueueBinding,
  type QueueClaimOptions,
} from '@stateproof/core/adapter-kit';
import type { LuaScript } from '../client/lua-script.js';
import type { QueueKeys } from './redis-queue-keys.js';
import type { RedisStoreContext } from './redis-store-context.js';

/** Claim scripts in flight at once per store, and claims per script at most. */
const CLAIM_IN_FLIGHT = 2;
const CLAIM_BATCH = 100;

type ClaimReply = Array<[string, string, string, number, number, number, string, number, number]>;

/**
 * The claims of one queue store, batched as its completions are (redis-task-completions.ts): the
 * claims made in one turn of the event loop share one script, which serves them in call order, each
 * as if it ran alone after the one before (each sees the tasks and the running count the earlier ones
 * left). Workers whose completions went out together resolve together and claim again together, so
 * with many workers taking few tasks each a round of the whole pool costs two scripts instead of two
 * per worker. A batch's script fails as a whole (nothing of it applied), and then every claim of it
 * fails with that error.
 */
export class RedisTaskClaims {
  private readonly coalescer: Coalescer<QueueClaimOptions, ClaimedTask[]>;

  constructor(
    private readonly ctx: RedisStoreContext,
    private readonly keys: QueueKeys,
    private readonly binding: QueueBinding,
    /** The claim script (QUEUE_CLAIM), looked up per batch, so that a mutant's swap reaches it. */
    private readonly script: () => LuaScript,
  ) {
    this.coalescer = new Coalescer((items) => this.run(items), CLAIM_IN_FLIGHT, CLAIM_BATCH);
  }

  /** Claims with the next batch; resolves with this claim's own tasks. */
  submit(options: QueueClaimOptions): Promise<ClaimedTask[]> {
    return this.coalescer.submit(options);
  }

  private async run(claims: readonly QueueClaimOptions[]): Promise<Array<Outcome<ClaimedTask[]>>> {
    const { global, perQueue } = this.binding.concurrency;
    const args: Array<string | number> = [
      ...this.keys.prefixes,
      this.binding.maxRuntimeMs ?? '',
      global ?? '',
      perQueue ?? '',
      claims.length,
    ];
    for (const c of claims)
      // One random part per claim: unknown to anyone but the claimer; the attempt and id make each token unique.
      args.push(c.worker, c.limit, c.leaseMs, randomBytes(12).toString('base64url'), c.queues.length, ...c.queues);
    const replies = (await this.ctx.runner.write(
      this.script(),
      'claiming tasks',
      this.keys.keys,
      args,
    )) as ClaimReply[];
    return claims.map((_, i): Outcome<ClaimedTask[]> => {
      const reply = replies[i];
      if (!Array.isArray(reply))
        return {
          ok: false,
          error: new Error(`internal: a batch of ${claims.length} claims returned ${replies.length} replies`),
        };
      return {
        ok: true,
        value: reply.map(([id, queue, payload, priority, attempt, maxAttempts, token, leaseExpiresAt, enqueuedAt]) => ({
          id: String(id),
          queue,
          payload,
          priority: Number(priority),
          attempt: Number(attempt),
          maxAttempts: Number(maxAttempts),
          token,
          leaseExpiresAt: Number(leaseExpiresAt),
          enqueuedAt: Number(enqueuedAt),
        })),
      };
    });
  }
}
