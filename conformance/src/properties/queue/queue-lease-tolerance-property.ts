import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { queue, type QueueSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { ExpiryWindow } from '../common/expiry-window.js';
import { serverClockOnly } from '../common/server-clock-only.js';

/**
 * With a server clock: a claimed task's lease ends at the claim's instant plus `leaseMs`; nobody
 * else can claim it before; a heartbeat moves the lease and keeps it; once the lease has passed,
 * the worker's writes are refused and any other process's reaper ends the attempt as lost (once)
 * and re-queues it, for another worker to take as attempt 2. Both edges within the declared tolerance.
 */
export const queueLeaseToleranceProperty: PropertySpec = {
  name: 'queue/lease-tolerance',
  kind: 'queue',
  requirements: [
    'QUE-006',
    'QUE-009',
    'QUE-010',
    'QUE-011',
    'QUE-022',
    'QUE-023',
    'QUE-025',
    'QUE-026',
    'QUE-027',
    'QUE-008',
  ],
  applies: serverClockOnly('queue/model and queue/fencing'),
  weight: 0.1,
  property: (env) =>
    fc.asyncProperty(
      fc.constantFrom(60, 100),
      fc.constantFrom<'complete' | 'fail' | 'heartbeat'>('complete', 'fail', 'heartbeat'),
      async (leaseMs, zombieOp) => {
        const fixture = await env.fixtures.open((registry) => [
          queue('conformance.queue-lease', {
            durability: env.cls,
            payload: Type.Integer(),
            retry: { baseDelayMs: 0, jitter: 0, maxAttempts: 3 },
            registry,
          }) as QueueSurface<number, unknown>,
        ]);
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          const other = (await fixture.peer()).use(fixture.surfaces[0]);
          const slack = fixture.time.slackMs;
          const { id } = await h.enqueue(7);
          const { value: claimed, window: lease } = await ExpiryWindow.around(fixture.time, leaseMs, () =>
            h.claim({ worker: 'zombie', leaseMs }),
          );
          const [task] = claimed;
          expectModel(
            task?.id === id && task.attempt === 1 && lease.admits(task.leaseExpiresAt),
            ['QUE-009', 'QUE-008'],
            () => `claim gave ${show(claimed)}, expected attempt 1 leased until ${lease.earliest}..${lease.latest}`,
          );
          const rival = await lease.early(() => other.claim({ worker: 'rival', leaseMs }));
          if (rival.before)
            expectModel(
              rival.value.length === 0,
              ['QUE-006'],
              () => `another worker claimed a task under an unexpired lease: ${show(rival.value)}`,
            );
          // A heartbeat moves the lease well past the first one: the task stays with its worker.
          const longer = 2 * leaseMs + 3 * slack;
          const { value: beat, window: extended } = await ExpiryWindow.around(fixture.time, longer, () =>
            outcome(() => h.heartbeat(task!, { leaseMs: longer })),
          );
          if (!beat.ok) {
            expectModel(
              beat.code === 'STATEPROOF_LEASE_LOST' && fixture.time.now() > lease.earliest - slack,
              ['QUE-011'],
              () => `a heartbeat within the lease gave ${describeOutcome(beat)}`,
            );
            return;
          }
          expectModel(
            extended.admits(beat.value.leaseExpiresAt),
            ['QUE-011'],
            () =>
              `heartbeat for ${longer} ms moved the lease to ${beat.value.leaseExpiresAt}, outside ${extended.earliest}..${extended.latest}`,
          );
          await lease.pass();
          const kept = await extended.early(async () => ({
            claim: await other.claim({ worker: 'rival', leaseMs }),
            reap: await other.reap(),
          }));
          if (kept.before) {
            expectModel(
              kept.value.claim.length === 0,
              ['QUE-011', 'QUE-006'],
              () => `past the first lease but within the heartbeat's, another worker claimed ${show(kept.value.claim)}`,
            );
            expectModel(
              kept.value.reap.lost === 0,
              ['QUE-025'],
              () => `the reaper ended an attempt whose lease a heartbeat extended: ${show(kept.value.reap)}`,
            );
          }
          await extended.pass();
          const act = (): Promise<unknown> =>
            zombieOp === 'heartbeat'
              ? h.heartbeat(task!)
              : zombieOp === 'complete'
                ? h.complete(task!, 'late')
                : h.fail(task!, 'late');
          const expired = await outcome(act);
          expectModel(
            !expired.ok && expired.code === 'STATEPROOF_LEASE_LOST',
            ['QUE-010'],
            () => `${zombieOp} after the lease expired gave ${describeOutcome(expired)}`,
          );
          const reaped = await other.reap();
          expectModel(
            reaped.lost === 1 && reaped.requeued === 1,
            ['QUE-022', 'QUE-023'],
            () =>
              `another process's reap after the lease gave ${show(reaped)}, expected the attempt lost and re-queued`,
          );
          const again = await other.reap();
          expectModel(again.lost === 0 && again.requeued === 0, ['QUE-025'], () => `a second reap gave ${show(again)}`);
          const info = await other.get(id);
          expectModel(
            info?.state === 'queued' && info.attempts === 1 && info.history[0]?.outcome === 'lost',
            ['QUE-022', 'QUE-026'],
            () => `the reaped task reads ${show(info)}`,
          );
          expectModel((await other.counters()).lost === 1, ['QUE-027'], () => 'the lost attempt is not counted');
          const [fresh] = await other.claim({ worker: 'rival', leaseMs: 60_000 });
          expectModel(
            fresh?.id === id && fresh.attempt === 2,
            ['QUE-008', 'QUE-022'],
            () => `after the reap the rival got ${show(fresh)}, expected attempt 2`,
          );
          const late = await outcome(act);
          expectModel(
            !late.ok && late.code === 'STATEPROOF_LEASE_LOST',
            ['QUE-010'],
            () => `the zombie's ${zombieOp} during the rival's attempt gave ${describeOutcome(late)}`,
          );
          expectModel(
            (await other.get(id))?.state === 'running',
            ['QUE-010'],
            () => "the zombie changed the rival's attempt",
          );
        } finally {
          await fixture.close();
        }
      },
    ),
};
