import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { queue, type QueueSurface } from '@stateproof/core';
import { outcome } from '../../models/outcome.js';
import { QueueModel } from '../../models/queue-model.js';
import type { QueueSettings } from '../../models/queue-settings.js';
import type { PropertySpec } from '../../environment/property-spec.js';

/** One task to enqueue: its queue, priority, due time after the start, and the time to let pass before enqueueing it. */
interface Item {
  readonly queue: 'q1' | 'q2';
  readonly priority: number;
  readonly dueInMs: number;
  readonly pauseMs: number;
}

// Few values, so that priorities and due times often tie and the next key of the order decides.
const itemArb: fc.Arbitrary<Item> = fc.record({
  queue: fc.constantFrom<'q1' | 'q2'>('q1', 'q1', 'q2'),
  priority: fc.constantFrom(0, 0, 1, 1, 3, -1),
  dueInMs: fc.constantFrom(0, 0, 4, 4, 9),
  pauseMs: fc.constantFrom(0, 0, 0, 1),
});
const claimArb = fc.record({
  limit: fc.constantFrom(1, 1, 2, 3, 5),
  queues: fc.constantFrom<string[]>([], [], [], ['q1'], ['q2']),
  advanceMs: fc.constantFrom(0, 0, 2, 5),
});

// No concurrency limits: the claim statement of the usual surface, which the limited one of queue/model never runs.
const SETTINGS: QueueSettings = {
  retry: { maxAttempts: 3, baseDelayMs: 10, factor: 2, maxDelayMs: 100, jitter: 0 },
  concurrency: {},
  attemptHistory: 3,
};

/**
 * On a surface without concurrency limits: tasks of mixed priorities, due times (often equal) and
 * enqueue order, claimed one at a time and in batches while time moves, must be taken by priority,
 * then due time, then enqueue order, and only once due (checked against the queue model).
 */
export const queueClaimOrderProperty: PropertySpec = {
  name: 'queue/claim-order',
  kind: 'queue',
  requirements: ['QUE-005', 'QUE-004'],
  features: ['priority', 'delay'],
  exactTime: true,
  weight: 0.5,
  property: (env) =>
    fc.asyncProperty(
      fc.array(itemArb, { minLength: 2, maxLength: 9 }),
      fc.array(claimArb, { minLength: 1, maxLength: 6 }),
      async (items, claims) => {
        const fixture = await env.fixtures.open((registry) => [
          queue('conformance.claim-order', {
            durability: env.cls,
            payload: Type.Integer(),
            retry: SETTINGS.retry,
            attemptHistory: SETTINGS.attemptHistory,
            registry,
          }) as QueueSurface<number, unknown>,
        ]);
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          const model = new QueueModel(() => fixture.time.now(), SETTINGS);
          const start = fixture.time.now();
          for (const [n, item] of items.entries()) {
            if (item.pauseMs > 0) await fixture.time.advance(item.pauseMs);
            const spec = { queue: item.queue, payload: n, priority: item.priority, runAt: start + item.dueInMs };
            const { payload, ...options } = spec;
            model.checkEnqueue([spec], await outcome(async () => [await h.enqueue(payload, options)]), false);
          }
          const claim = async (limit: number, queues: readonly string[]) =>
            model.checkClaim(
              'w',
              queues,
              limit,
              60_000,
              await outcome(() => h.claim({ worker: 'w', queues, limit, leaseMs: 60_000 })),
            );
          for (const c of claims) {
            if (c.advanceMs > 0) await fixture.time.advance(c.advanceMs);
            await claim(c.limit, c.queues);
          }
          // Then everything is due: drain in small batches, so the order decides every batch.
          await fixture.time.advance(20);
          for (let i = 0; i < items.length; i++) await claim(2, []);
        } finally {
          await fixture.close();
        }
      },
    ),
};
