import fc from 'fast-check';
import type { QueueHandle } from '@stateproof/core';
import { expectModel } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { defineQueue } from './queue-surface.js';

const UNCLAIMED: Record<string, (h: QueueHandle<unknown, unknown>) => Promise<unknown>> = {
  priority: (h) => h.enqueue(1, { priority: 3 }),
  delay: (h) => h.enqueue(1, { delayMs: 10 }),
  idempotency: (h) => h.enqueue(1, { idempotencyKey: 'k' }),
  batch: (h) => h.enqueueMany([{ payload: 1 }, { payload: 2 }]),
  cancel: (h) => h.cancel('t'),
};

/** Each optional queue feature the adapter does not claim is refused with STATEPROOF_UNSUPPORTED and enqueues nothing. */
export const queueUnclaimedFeaturesProperty: PropertySpec = {
  name: 'queue/unclaimed-features',
  kind: 'queue',
  requirements: ['QUE-031'],
  weight: 0.1,
  applies: (env) => {
    const f = (env.capabilities.kinds.queue?.features ?? {}) as Record<string, boolean | undefined>;
    return Object.keys(UNCLAIMED).some((k) => f[k] !== true) ? true : 'the adapter claims every optional queue feature';
  },
  property: (env) => {
    const f = (env.capabilities.kinds.queue?.features ?? {}) as Record<string, boolean | undefined>;
    const missing = Object.keys(UNCLAIMED).filter((k) => f[k] !== true);
    return fc.asyncProperty(fc.constantFrom(...missing), async (feature) => {
      const fixture = await env.fixtures.open((registry) => [defineQueue(registry, env.cls, 'conformance.unclaimed')]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const got = await outcome(() =>
          (UNCLAIMED[feature] as (h: QueueHandle<unknown, unknown>) => Promise<unknown>)(h),
        );
        expectModel(
          !got.ok && got.code === 'STATEPROOF_UNSUPPORTED',
          ['QUE-031'],
          () => `using the unclaimed feature ${feature} gave ${describeOutcome(got)}`,
        );
        expectModel((await h.counters()).queued === 0, ['QUE-031'], () => 'a refused enqueue left a task');
      } finally {
        await fixture.close();
      }
    });
  },
};
