import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { queue, type QueueSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';

/**
 * With an injected clock, exactly: an attempt heartbeated with short leases until past its start
 * plus `maxRuntimeMs` gets leases that reach the cap and never pass it (the last one ends exactly
 * at the cap), a heartbeat at the cap is refused, a reap before it ends nothing, and the reap at
 * the cap ends the attempt as timed out and re-queues the task. queue/max-runtime-tolerance checks
 * one long heartbeat on a server clock only; random command sequences never heartbeat this far.
 */
export const queueMaxRuntimeProperty: PropertySpec = {
  name: 'queue/max-runtime',
  kind: 'queue',
  requirements: ['QUE-011', 'QUE-024', 'QUE-010'],
  features: ['maxRuntime'],
  exactTime: true,
  weight: 0.5,
  property: (env) =>
    fc.asyncProperty(
      fc.constantFrom(60, 100, 150),
      fc.constantFrom(10, 25, 40),
      fc.integer({ min: 2, max: 39 }),
      async (maxRuntimeMs, leaseMs, stepMs) => {
        const fixture = await env.fixtures.open((registry) => [
          queue('conformance.max-runtime', {
            durability: env.cls,
            payload: Type.Integer(),
            maxRuntimeMs,
            retry: { maxAttempts: 3, baseDelayMs: 0, jitter: 0 },
            registry,
          }) as QueueSurface<number, unknown>,
        ]);
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          const other = (await fixture.peer()).use(fixture.surfaces[0]);
          const { id } = await h.enqueue(1);
          const start = fixture.time.now();
          const cap = start + maxRuntimeMs;
          const [task] = await h.claim({ worker: 'w', leaseMs });
          expectModel(
            task?.leaseExpiresAt === Math.min(start + leaseMs, cap),
            ['QUE-009'],
            () => `the claim gave ${show(task)}, expected a lease until ${Math.min(start + leaseMs, cap)}`,
          );
          // Steps shorter than the lease keep it alive; the last heartbeat falls one ms before the cap.
          let last = start;
          while (last < cap - 1) {
            await fixture.time.advance(Math.min(stepMs, leaseMs - 1, cap - 1 - last));
            last = fixture.time.now();
            const beat = await outcome(() => h.heartbeat(task!, { leaseMs }));
            const want = Math.min(last + leaseMs, cap);
            expectModel(
              beat.ok && beat.value.leaseExpiresAt === want,
              ['QUE-011'],
              () =>
                `a heartbeat ${last - start} ms into an attempt of maximum runtime ${maxRuntimeMs} ms (lease ${leaseMs} ms) gave ${describeOutcome(beat)}, expected a lease until ${want}, capped at ${cap}`,
            );
          }
          const early = await other.reap();
          expectModel(
            early.timedOut === 0 && early.lost === 0,
            ['QUE-024'],
            () => `a reap 1 ms before the maximum runtime ended the attempt: ${show(early)}`,
          );
          await fixture.time.advance(1);
          const late = await outcome(() => h.heartbeat(task!, { leaseMs }));
          expectModel(
            !late.ok && late.code === 'STATEPROOF_LEASE_LOST',
            ['QUE-011', 'QUE-010'],
            () => `a heartbeat at the attempt's start plus its maximum runtime gave ${describeOutcome(late)}`,
          );
          const reaped = await other.reap();
          expectModel(
            reaped.timedOut === 1 && reaped.requeued === 1 && reaped.lost === 0,
            ['QUE-024'],
            () => `the reap at the maximum runtime gave ${show(reaped)}, expected one attempt timed out and re-queued`,
          );
          const info = await other.get(id);
          expectModel(
            info?.state === 'queued' && info.history[0]?.outcome === 'timed-out',
            ['QUE-024'],
            () => `the timed-out task reads ${show(info)}`,
          );
        } finally {
          await fixture.close();
        }
      },
    ),
};
