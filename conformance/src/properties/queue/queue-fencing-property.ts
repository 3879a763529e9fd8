import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { queue, type QueueSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';

/** A zombie worker (lease expired, task reaped and re-claimed) can neither heartbeat, complete nor fail the new attempt. */
export const queueFencingProperty: PropertySpec = {
  name: 'queue/fencing',
  kind: 'queue',
  requirements: ['QUE-010', 'QUE-022', 'QUE-023', 'QUE-006'],
  exactTime: true,
  weight: 0.5,
  property: (env) =>
    fc.asyncProperty(
      fc.constantFrom('heartbeat', 'complete', 'fail'),
      fc.integer({ min: 0, max: 40 }),
      async (op, lateBy) => {
        const fixture = await env.fixtures.open((registry) => [
          queue('conformance.fencing', {
            durability: env.cls,
            payload: Type.Integer(),
            retry: { baseDelayMs: 0, jitter: 0 },
            registry,
          }) as QueueSurface<number, unknown>,
        ]);
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          const other = (await fixture.peer()).use(fixture.surfaces[0]);
          await h.enqueue(1);
          const [zombie] = await h.claim({ worker: 'zombie', leaseMs: 50 });
          const busy = await other.claim({ worker: 'rival', leaseMs: 50 });
          expectModel(
            busy.length === 0,
            ['QUE-006'],
            () => `a second worker claimed a task under an unexpired lease: ${show(busy)}`,
          );
          await fixture.time.advance(50 + lateBy);
          const act = (t: { id: string; token: string }): Promise<unknown> =>
            op === 'heartbeat' ? h.heartbeat(t) : op === 'complete' ? h.complete(t, 'zombie') : h.fail(t, 'zombie');
          const expired = await outcome(() => act(zombie!));
          expectModel(
            !expired.ok && expired.code === 'STATEPROOF_LEASE_LOST',
            ['QUE-010'],
            () => `${op} after the lease expired gave ${describeOutcome(expired)}`,
          );
          const reaped = await other.reap();
          expectModel(
            reaped.lost === 1 && reaped.requeued === 1,
            ['QUE-023', 'QUE-022'],
            () => `another process's reap gave ${show(reaped)}, expected the zombie's attempt lost and re-queued`,
          );
          const [fresh] = await other.claim({ worker: 'rival', leaseMs: 60_000 });
          expectModel(fresh?.attempt === 2, ['QUE-022'], () => `the rival got ${show(fresh)}, expected attempt 2`);
          const late = await outcome(() => act(zombie!));
          expectModel(
            !late.ok && late.code === 'STATEPROOF_LEASE_LOST',
            ['QUE-010'],
            () => `the zombie's ${op} during the rival's attempt gave ${describeOutcome(late)}`,
          );
          expectModel(
            (await other.get(fresh!.id))?.state === 'running',
            ['QUE-010'],
            () => "the zombie changed the rival's attempt",
          );
        } finally {
          await fixture.close();
        }
      },
    ),
};
