import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { queue, type QueueSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { armPastLease, expectDelayed, writeDelayDeclared } from '../common/write-delay-check.js';

type AttemptWrite = 'heartbeat' | 'complete' | 'fail' | 'acknowledgeCancel';

/**
 * A lease is judged when the write takes effect: a worker's heartbeat, complete, fail or
 * acknowledgeCancel that began under a live lease but waited inside the write (the target's write
 * delay: the injected clock moved on inside the store call, or a sleep inside the transaction on a
 * server clock) until the lease had expired must fail with LEASE_LOST and change nothing: the
 * attempt still runs, and another process's reaper ends it as lost. An adapter that read the time
 * before its lock wait accepts it.
 */
export const queueLeaseAtWriteProperty: PropertySpec = {
  name: 'queue/lease-at-write',
  kind: 'queue',
  requirements: ['QUE-010'],
  applies: writeDelayDeclared,
  weight: 0.2,
  property: (env) =>
    fc.asyncProperty(
      fc.constantFrom<AttemptWrite>('heartbeat', 'complete', 'fail', 'acknowledgeCancel'),
      fc.constantFrom(0, 1, 7),
      async (op, extraMs) => {
        const leaseMs = env.exactTime ? 1_000 : 150;
        const fixture = await env.fixtures.open(
          (registry) => [
            queue('conformance.queue-at-write', {
              durability: env.cls,
              payload: Type.Integer(),
              retry: { baseDelayMs: 0, jitter: 0, maxAttempts: 3 },
              registry,
            }) as QueueSurface<number, unknown>,
          ],
          { writeDelay: true },
        );
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          const other = (await fixture.peer()).use(fixture.surfaces[0]);
          const { id } = await h.enqueue(7);
          const [task] = await h.claim({ worker: 'w', leaseMs });
          expectModel(task?.id === id, ['QUE-010'], () => `claim of the one due task gave ${show(task)}`);
          if (op === 'acknowledgeCancel') await other.cancel(id);
          const write = { kind: 'queue', operation: op } as const;
          armPastLease(fixture, write, { leaseMs, expiresAt: task.leaseExpiresAt }, extraMs);
          const late = await outcome((): Promise<unknown> => {
            if (op === 'heartbeat') return h.heartbeat(task, { leaseMs });
            if (op === 'complete') return h.complete(task, 'late');
            if (op === 'fail') return h.fail(task, 'late');
            return h.acknowledgeCancel(task);
          });
          expectDelayed(fixture, write, ['QUE-010']);
          expectModel(
            !late.ok && late.code === 'STATEPROOF_LEASE_LOST',
            ['QUE-010'],
            () =>
              `${op} that began within the lease but judged it after the lease expired (the write was delayed past it) gave ${describeOutcome(late)}`,
          );
          const info = await other.get(id);
          expectModel(
            info?.state === 'running' &&
              info.attempts === 1 &&
              info.leaseExpiresAt === task.leaseExpiresAt &&
              info.history.length === 1 &&
              info.history[0]?.outcome === 'running',
            ['QUE-010'],
            () => `the refused ${op} changed the task: ${show(info)}`,
          );
          const reaped = await other.reap();
          expectModel(
            reaped.lost === 1,
            ['QUE-010'],
            () => `after the refused ${op}, another process's reap gave ${show(reaped)}, expected the attempt lost`,
          );
        } finally {
          await fixture.close();
        }
      },
    ),
};
