import type { DataspaceBinding, QueueBinding } from '@stateproof/core/adapter-kit';
import type { Mutant } from '@stateproof/conformance';
import { DATASPACE_PRUNE } from '../../scripts/dataspace-scripts.js';
import { QUEUE_PRUNE } from '../../scripts/queue-reap-scripts.js';
import { RedisDataspaceStore } from '../../stores/redis-dataspace-store.js';
import { RedisQueueStore } from '../../stores/redis-queue-store.js';
import type { RedisStoreContext } from '../../stores/redis-store-context.js';
import { redisServerUnavailable } from '../redis-server.js';
import { mutantTarget } from './mutant-adapter.js';
import { patchScript } from './patch-script.js';

/** The change-log retention every mutant's dataspace store keeps (the adapter's default). */
const CHANGE_RETENTION = 10_000;

/**
 * Prune takes every finished task as due, forgetting to subtract the window from its cutoff: a task
 * is gone at the first maintenance pass after it finished, with its result and its idempotency key.
 */
class QueuePruneIgnoresWindowStore extends RedisQueueStore {
  constructor(ctx: RedisStoreContext, binding: QueueBinding) {
    super(ctx, binding);
    this.scripts = {
      ...this.scripts,
      prune: patchScript(QUEUE_PRUNE, 'queue-prune-ignores-window', [
        'local cutoff = NOW - tonumber(A[6])',
        'local cutoff = NOW',
      ]),
    };
  }
}

/**
 * Prune removes the task's hash and history but leaves its idempotency key mapping behind (a
 * dedupe key that outlives its job): an enqueue with the key of a pruned task is deduped to an id
 * that no longer exists, instead of creating a new task.
 */
class QueuePruneKeepsKeyStore extends RedisQueueStore {
  constructor(ctx: RedisStoreContext, binding: QueueBinding) {
    super(ctx, binding);
    this.scripts = {
      ...this.scripts,
      prune: patchScript(QUEUE_PRUNE, 'queue-prune-keeps-idempotency-key', [
        "if t[2] and redis.call('HGET', IDEM, t[2]) == id then redis.call('HDEL', IDEM, t[2]) end",
        '',
      ]),
    };
  }
}

/**
 * Prune takes every ended session as due, forgetting the window after its lease end: a closed or
 * expired session turns from SESSION_EXPIRED into NOT_FOUND at the first maintenance pass.
 */
class DataspacePruneIgnoresWindowStore extends RedisDataspaceStore {
  constructor(ctx: RedisStoreContext, binding: DataspaceBinding) {
    super(ctx, CHANGE_RETENTION, binding.retention);
    this.scripts = {
      ...this.scripts,
      prune: patchScript(DATASPACE_PRUNE, 'dataspace-prune-ignores-window', [
        'local cutoff = NOW - tonumber(A[7])',
        'local cutoff = NOW',
      ]),
    };
  }
}

/** Mutants of the Redis adapter's retention of finished tasks and ended sessions. */
export const REDIS_RETENTION_MUTANTS: readonly Mutant[] = [
  {
    name: 'redis-queue-prune-ignores-window',
    kind: 'queue',
    bug: 'prune takes every finished task as due (its cutoff is now, not now - finishedMs): a task is pruned at the first maintenance pass after it finished',
    breaks: ['QUE-037'],
    properties: ['queue/retention'],
    target: mutantTarget('redis-queue-prune-ignores-window', {
      queue: (ctx, binding) => new QueuePruneIgnoresWindowStore(ctx, binding),
    }),
    unavailable: () => redisServerUnavailable(),
  },
  {
    name: 'redis-queue-prune-keeps-idempotency-key',
    kind: 'queue',
    bug: 'prune removes a finished task but not its idempotency key: an enqueue with that key is deduped to the pruned id instead of creating a task',
    breaks: ['QUE-038'],
    properties: ['queue/retention'],
    target: mutantTarget('redis-queue-prune-keeps-idempotency-key', {
      queue: (ctx, binding) => new QueuePruneKeepsKeyStore(ctx, binding),
    }),
    unavailable: () => redisServerUnavailable(),
  },
  {
    name: 'redis-dataspace-prune-ignores-window',
    kind: 'dataspace',
    bug: 'prune takes every ended session as due (its cutoff is now, not now - endedSessionsMs): a closed or expired session is pruned at the first maintenance pass',
    breaks: ['DSP-025'],
    properties: ['dataspace/retention'],
    target: mutantTarget('redis-dataspace-prune-ignores-window', {
      dataspace: (ctx, binding) => new DataspacePruneIgnoresWindowStore(ctx, binding),
    }),
    unavailable: () => redisServerUnavailable(),
  },
];
