import { queue, type QueueSurface } from '@stateproof/core';
import { limitsProperty } from '../common/limits-property.js';

/** Malformed queue names and payloads are refused and enqueue nothing. */
export const queueLimitsProperty = limitsProperty<QueueSurface<unknown, unknown>>({
  kind: 'queue',
  name: 'enqueue',
  requirements: { invalidKey: 'QUE-029', notIJson: 'QUE-030', tooLarge: 'QUE-030', schema: 'QUE-030' },
  define: (registry, cls, schema, maxValueBytes) =>
    queue('conformance.limits', { durability: cls, payload: schema, maxValueBytes, registry }) as QueueSurface<
      unknown,
      unknown
    >,
  setup: async (rt, s) => void (await rt.use(s).enqueue({ n: 0 }, { queue: 'k' })),
  write: async (rt, s, key, value) => {
    const h = rt.use(s);
    return rt.adapter.capabilities.kinds.queue?.features.batch && key === 'k'
      ? h.enqueueMany([
          { payload: { n: 1 }, queue: key },
          { payload: value, queue: key },
        ])
      : h.enqueue(value, { queue: key });
  },
  state: async (rt, s) => rt.use(s).counters(),
});
