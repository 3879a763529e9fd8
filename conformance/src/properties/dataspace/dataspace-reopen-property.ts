import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { dataspace, type DataspaceSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { RESTART_SAFE_CLASSES } from '../common/restart-classes.js';

const opArb = fc.record({
  session: fc.constantFrom(0, 1),
  id: fc.constantFrom('route:/a', 'route:/b', 'node:%', 'é'),
  retract: fc.boolean(),
});
const LEASE = 60_000;

/**
 * A restart keeps the dataspace as it was (same assertions at the same revision), later changes get
 * greater revisions, and the sessions of the process that went away expire after their lease and are
 * retracted by the new process's reaper.
 */
export const dataspaceReopenProperty: PropertySpec = {
  name: 'dataspace/reopen',
  kind: 'dataspace',
  requirements: ['DSP-011', 'DSP-024'],
  classes: RESTART_SAFE_CLASSES,
  exactTime: true,
  weight: 0.5,
  property: (env) =>
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 16 }), async (ops) => {
      const fixture = await env.fixtures.open((registry) => [
        dataspace('conformance.reopen', {
          durability: env.cls,
          value: Type.Integer(),
          registry,
        }) as DataspaceSurface<number>,
      ]);
      try {
        const [surface] = fixture.surfaces;
        const before = fixture.rt.use(surface);
        const sessions = [
          await before.openSession({ owner: 'a', leaseMs: LEASE }),
          await before.openSession({ owner: 'b', leaseMs: LEASE }),
        ];
        const owners = new Map<string, number>();
        for (const [i, o] of ops.entries()) {
          const s = sessions[o.session] as (typeof sessions)[number];
          const mine = owners.get(o.id);
          if (mine !== undefined && mine !== o.session) continue; // another session's assertion: the model property checks refusals
          if (o.retract && mine !== undefined) {
            await s.retract(o.id);
            owners.delete(o.id);
          } else {
            await s.assert(o.id, i);
            owners.set(o.id, o.session);
          }
        }
        const snapshot = await before.list();
        const after = (await fixture.restart()).use(surface);
        const got = await after.list();
        expectModel(
          show(got) === show(snapshot),
          ['DSP-024'],
          () => `after a restart the dataspace is ${show(got)}; before it was ${show(snapshot)}`,
        );
        const fresh = await after.openSession({ owner: 'c', leaseMs: LEASE * 10 });
        const { revision } = await fresh.assert('fresh', 1);
        expectModel(
          revision > snapshot.revision,
          ['DSP-011'],
          () => `after a restart an assert got revision ${revision}; the dataspace had reached ${snapshot.revision}`,
        );
        await fixture.time.advance(LEASE);
        const reaped = await after.reap();
        expectModel(
          reaped.retracted === snapshot.assertions.length,
          ['DSP-024'],
          () =>
            `the reaper of the restarted process retracted ${reaped.retracted} assertions of the sessions that went away; ${snapshot.assertions.length} were theirs`,
        );
        const left = (await after.list()).assertions.map((a) => a.id);
        expectModel(
          show(left) === show(['fresh']),
          ['DSP-024'],
          () => `after the dead sessions' leases ended the dataspace holds ${show(left)}`,
        );
      } finally {
        await fixture.close();
      }
    }),
};
