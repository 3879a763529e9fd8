import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { queue, type QueueSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { backoffBounds } from '../../models/queue-settings.js';
import type { PropertySpec } from '../../environment/property-spec.js';

/** Fails a task until it is out of attempts: each retry is due within the pinned backoff (cap included), and no attempt runs past the maximum. */
export const queueBackoffProperty: PropertySpec = {
  name: 'queue/backoff',
  kind: 'queue',
  requirements: ['QUE-013', 'QUE-014', 'QUE-015', 'QUE-008'],
  exactTime: true,
  weight: 0.5,
  property: (env) =>
    fc.asyncProperty(
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 50 }),
      fc.constantFrom(1.5, 2, 3),
      fc.integer({ min: 1, max: 100 }),
      fc.constantFrom(0, 0.25, 1),
      async (maxAttempts, baseDelayMs, factor, maxDelayMs, jitter) => {
        const retry = { maxAttempts, baseDelayMs, factor, maxDelayMs, jitter };
        const fixture = await env.fixtures.open((registry) => [
          queue('conformance.backoff', {
            durability: env.cls,
            payload: Type.Integer(),
            retry,
            registry,
          }) as QueueSurface<number, unknown>,
        ]);
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          const { id } = await h.enqueue(1);
          for (let n = 1; n <= maxAttempts + 1; n++) {
            await fixture.time.advance(10_000);
            const [task] = await h.claim({ worker: 'w', leaseMs: 60_000 });
            if (n > maxAttempts) {
              expectModel(
                task === undefined,
                ['QUE-015'],
                () => `attempt ${n} of a task allowed ${maxAttempts} was started`,
              );
              break;
            }
            expectModel(task?.attempt === n, ['QUE-008'], () => `expected attempt ${n}, got ${show(task)}`);
            const now = fixture.time.now();
            const r = await h.fail(task!, `failure ${n}`);
            if (n === maxAttempts) {
              expectModel(
                r.state === 'failed',
                ['QUE-015'],
                () => `the last allowed attempt failed but the task is ${show(r)}`,
              );
            } else {
              const [lo, hi] = backoffBounds(retry, n);
              expectModel(
                r.state === 'queued' && r.runAt >= now + lo && r.runAt <= now + hi,
                ['QUE-014'],
                () =>
                  `after attempt ${n} with ${show(retry)} the task is ${show(r)}; due must be in ${now + lo}..${now + hi}`,
              );
            }
          }
          expectModel(
            (await h.get(id))?.state === 'failed',
            ['QUE-015'],
            () => 'the task is not failed after its last attempt',
          );
        } finally {
          await fixture.close();
        }
      },
    ),
};
