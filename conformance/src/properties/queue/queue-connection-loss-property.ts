import { Type } from '@sinclair/typebox';
import { queue, type QueueSurface } from '@stateproof/core';
import { connectionLossProperty, unexpected } from '../common/connection-loss-property.js';

const items = (i: number) => [0, 1, 2].map((j) => ({ payload: i * 10 + j, idempotencyKey: `t${i}-${j}` }));

/** An enqueueMany in flight when the connection drops enqueued all its tasks or none (told apart by their idempotency keys). */
export const queueConnectionLossProperty = connectionLossProperty<QueueSurface<number, unknown>>({
  kind: 'queue',
  requirement: 'QUE-035',
  features: ['batch', 'idempotency'],
  define: (registry, cls) =>
    queue('conformance.faults', {
      durability: cls,
      payload: Type.Integer(),
      result: Type.Unknown(),
      registry,
    }) as QueueSurface<number, unknown>,
  attempt: (rt, s, i) => rt.use(s).enqueueMany(items(i)),
  async verify(rt, s, i, acknowledged) {
    // Enqueueing the same keys again dedupes exactly the tasks that exist.
    const again = await rt.use(s).enqueueMany(items(i).map((t) => ({ ...t, payload: -1 })));
    const existed = again.map((r) => r.deduped);
    const whole = existed.every(Boolean);
    return whole || (!acknowledged && existed.every((d) => !d))
      ? undefined
      : unexpected(`the tasks of batch ${i} (existing: ${existed.join(', ')})`, existed, acknowledged);
  },
});
