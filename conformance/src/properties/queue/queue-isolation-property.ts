import type { QueueSurface } from '@stateproof/core';
import { isolationProperty } from '../common/isolation-property.js';
import { defineQueue } from './queue-surface.js';

/** Queue names and idempotency keys with tricky characters never reach another surface or namespace. */
export const queueIsolationProperty = isolationProperty<QueueSurface<unknown, unknown>>({
  kind: 'queue',
  requirement: 'QUE-033',
  define: (registry, cls, id) => defineQueue(registry, cls, id),
  write: async (rt, s, key) =>
    void (await rt.use(s).enqueue(key, {
      queue: key,
      ...(rt.adapter.capabilities.kinds.queue?.features.idempotency ? { idempotencyKey: key } : {}),
    })),
  visible: async (rt, s, key) =>
    (await rt.use(s).claim({ worker: 'w', queues: [key], limit: 1, leaseMs: 60_000 })).length > 0,
});
