import type { QueueBinding } from '@stateproof/core/adapter-kit';
import type { Mutant } from '@stateproof/conformance';
import { QUEUE_COMPLETE, QUEUE_HEARTBEAT } from '../../scripts/queue-attempt-scripts.js';
import { QUEUE_ENQUEUE } from '../../scripts/queue-scripts.js';
import { RedisQueueStore } from '../../stores/redis-queue-store.js';
import type { RedisStoreContext } from '../../stores/redis-store-context.js';
import { redisServerUnavailable } from '../redis-server.js';
import { mutantTarget } from './mutant-adapter.js';
import { patchScript } from './patch-script.js';

/**
 * complete checks that the task runs and that the lease holds, not that the token is the running
 * attempt's (BullMQ's completion without its lock check): a worker whose attempt was reaped and
 * claimed again completes the new attempt.
 */
class CompleteTokenNotComparedStore extends RedisQueueStore {
  constructor(ctx: RedisStoreContext, binding: QueueBinding) {
    super(ctx, binding);
    this.scripts = {
      ...this.scripts,
      complete: patchScript(QUEUE_COMPLETE, 'queue-complete-token-not-compared', [
        "local current = t[1] == 'running' and t[2] == token",
        "local current = t[1] == 'running'",
      ]),
    };
  }
}

/**
 * Heartbeats extend the lease without the cap at start + maxRuntimeMs: the lease then outlives the
 * maximum runtime, and the reaper, which finds overdue attempts among the expired leases, lets an
 * attempt that keeps sending heartbeats run for ever.
 */
class HeartbeatPastMaxRuntimeStore extends RedisQueueStore {
  constructor(ctx: RedisStoreContext, binding: QueueBinding) {
    super(ctx, binding);
    this.scripts = {
      ...this.scripts,
      heartbeat: patchScript(QUEUE_HEARTBEAT, 'queue-heartbeat-past-max-runtime', [
        'if max then lease = math.min(lease, tonumber(t[5]) + max) end',
        '',
      ]),
    };
  }
}

/**
 * Ready tasks ordered by priority, then enqueue order, without their due time (as BullMQ orders its
 * prioritized jobs once they were promoted): a task due earlier but enqueued later is claimed after
 * one due later.
 */
class ClaimIgnoresDueTimeStore extends RedisQueueStore {
  constructor(ctx: RedisStoreContext, binding: QueueBinding) {
    super(ctx, binding);
    this.scripts = {
      ...this.scripts,
      enqueue: patchScript(QUEUE_ENQUEUE, 'queue-enqueue-order-without-due-time', [
        "local function ready_member(head, id) return head .. string.format('%016d', tonumber(id)) end",
        "local function ready_member(head, id) return '1' .. string.rep('0', 19) .. string.format('%016d', tonumber(id)) end",
      ]),
    };
  }
}

const queueMutant = (name: string, Store: new (ctx: RedisStoreContext, binding: QueueBinding) => RedisQueueStore) =>
  mutantTarget(name, { queue: (ctx, binding) => new Store(ctx, binding) });

/** Mutants of the Redis queue store. */
export const REDIS_QUEUE_MUTANTS: readonly Mutant[] = [
  {
    name: 'redis-queue-complete-token-not-compared',
    kind: 'queue',
    bug: "complete checks that the task runs under a live lease, not that the token is the running attempt's: a worker whose attempt was reaped completes the next attempt",
    breaks: ['QUE-010'],
    properties: ['queue/model', 'queue/fencing'],
    target: queueMutant('redis-queue-complete-token-not-compared', CompleteTokenNotComparedStore),
    unavailable: () => redisServerUnavailable(),
  },
  {
    name: 'redis-queue-heartbeat-past-max-runtime',
    kind: 'queue',
    bug: 'heartbeats extend the lease past start + maxRuntimeMs: the reaper, which looks for overdue attempts among expired leases, never times out an attempt that keeps sending heartbeats',
    breaks: ['QUE-011', 'QUE-024'],
    properties: ['queue/max-runtime', 'queue/model'],
    target: queueMutant('redis-queue-heartbeat-past-max-runtime', HeartbeatPastMaxRuntimeStore),
    unavailable: () => redisServerUnavailable(),
  },
  {
    name: 'redis-queue-claim-ignores-due-time',
    kind: 'queue',
    bug: 'orders ready tasks by priority and then enqueue order, leaving out the due time (as BullMQ orders promoted jobs): a task due earlier but enqueued later is claimed after one due later',
    breaks: ['QUE-005'],
    properties: ['queue/claim-order', 'queue/model'],
    target: queueMutant('redis-queue-claim-ignores-due-time', ClaimIgnoresDueTimeStore),
    unavailable: () => redisServerUnavailable(),
  },
];
