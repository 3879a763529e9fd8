import fc from 'fast-check';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { SubscriptionReader } from '../common/subscription-reader.js';
import { LONG, defineDataspace } from './dataspace-surface.js';

/**
 * A process that dies leaves its session to expire: another process's reaper retracts its
 * assertions, and that process's subscribers see the retractions with reason `expired`.
 */
export const dataspaceDeadOwnerProperty: PropertySpec = {
  name: 'dataspace/dead-owner',
  kind: 'dataspace',
  requirements: ['DSP-009', 'DSP-024', 'DSP-010', 'DSP-007'],
  features: ['subscribe'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(
      fc.uniqueArray(fc.constantFrom('r:1', 'r:2', 'r:3', 'x'), { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 1, max: 3 }),
      async (ids, leaseFactor) => {
        const fixture = await env.fixtures.open((registry) => [
          defineDataspace(registry, env.cls, 'conformance.dead-owner'),
        ]);
        try {
          const leaseMs = env.exactTime ? 100 * leaseFactor : 300 * leaseFactor;
          const dying = await fixture.peer();
          const survivor = fixture.rt.use(fixture.surfaces[0]);
          const watcher = await survivor.subscribe({ type: 'all' });
          const doomed = await dying.use(fixture.surfaces[0]).openSession({ owner: 'doomed', leaseMs });
          for (const id of ids) await doomed.assert(id, id);
          const alive = await survivor.openSession({ owner: 'alive', leaseMs: LONG });
          await alive.assert('mine', 1);
          await dying.close(); // the process goes away without closing its session
          await fixture.time.advance(leaseMs + fixture.time.slackMs);
          await survivor.reap();
          const left = (await survivor.list()).assertions.map((a) => a.id);
          expectModel(
            show(left) === show(['mine']),
            ['DSP-009', 'DSP-024'],
            () => `after the owner died and its lease ran out the dataspace holds ${show(left)}`,
          );
          const seen = new Map<string, string>();
          const reader = new SubscriptionReader(watcher);
          for (let i = 0; i < 20 && seen.size < ids.length; i++) {
            const e = await reader.read(2000);
            if (e === 'timeout' || e === 'done') break;
            if (e.type === 'retracted') seen.set(e.id, e.reason);
          }
          for (const id of ids)
            expectModel(
              seen.get(id) === 'expired',
              ['DSP-010'],
              () => `the subscriber saw ${show([...seen])} for the dead owner's ${show(ids)}`,
            );
          await alive.assert(ids[0] as string, 'taken');
          expectModel(
            (await survivor.get(ids[0] as string))?.owner === 'alive',
            ['DSP-007'],
            () => "a dead owner's id could not be taken",
          );
        } finally {
          await fixture.close();
        }
      },
    ),
};
