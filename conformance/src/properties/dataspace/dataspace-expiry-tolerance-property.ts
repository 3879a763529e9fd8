import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { dataspace, type DataspaceSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { ExpiryWindow } from '../common/expiry-window.js';

/**
 * With a server clock: a session's lease ends at its opening instant plus `leaseMs`, a heartbeat
 * moves it, and while it holds, its assertions are its own; once it has passed, whoever notices
 * first (the owner acting, another session asserting the same id, or a reaper in another process)
 * retracts all its assertions exactly once, and the dead session can do nothing more. Both edges
 * within the adapter's declared tolerance.
 */
export const dataspaceExpiryToleranceProperty: PropertySpec = {
  name: 'dataspace/expiry-tolerance',
  kind: 'dataspace',
  requirements: ['DSP-001', 'DSP-002', 'DSP-003', 'DSP-005', 'DSP-007', 'DSP-009'],
  applies: (env) =>
    env.exactTime ? 'the adapter takes an injectable clock; dataspace/model checks expiry exactly' : true,
  weight: 0.1,
  property: (env) =>
    fc.asyncProperty(
      fc.constantFrom(60, 100),
      fc.constantFrom<'owner' | 'other' | 'reaper'>('owner', 'other', 'reaper'),
      async (leaseMs, noticer) => {
        const fixture = await env.fixtures.open((registry) => [
          dataspace('conformance.dataspace-expiry', {
            durability: env.cls,
            value: Type.Integer(),
            registry,
          }) as DataspaceSurface<number>,
        ]);
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          const other = (await fixture.peer()).use(fixture.surfaces[0]);
          const slack = fixture.time.slackMs;
          const { value: a, window: lease } = await ExpiryWindow.around(fixture.time, leaseMs, () =>
            h.openSession({ owner: 'a', leaseMs }),
          );
          expectModel(
            lease.admits(a.expiresAt),
            ['DSP-001'],
            () =>
              `a session opened for ${leaseMs} ms expires at ${a.expiresAt}, outside ${lease.earliest}..${lease.latest}`,
          );
          await a.assert('x', 1);
          await a.assert('y', 2);
          const b = await other.openSession({ owner: 'b', leaseMs: 3_600_000 });
          const longer = 2 * leaseMs + 3 * slack;
          const { value: beat, window: extended } = await ExpiryWindow.around(fixture.time, longer, () =>
            outcome(() => a.heartbeat({ leaseMs: longer })),
          );
          if (!beat.ok) {
            expectModel(
              beat.code === 'STATEPROOF_SESSION_EXPIRED' && fixture.time.now() > lease.earliest - slack,
              ['DSP-002'],
              () => `a heartbeat within the lease gave ${describeOutcome(beat)}`,
            );
            return;
          }
          expectModel(
            extended.admits(beat.value.expiresAt),
            ['DSP-002'],
            () =>
              `a heartbeat for ${longer} ms moved the lease to ${beat.value.expiresAt}, outside ${extended.earliest}..${extended.latest}`,
          );
          await lease.pass();
          const alive = await extended.early(async () => ({
            taken: await outcome(() => b.assert('x', 9)),
            reaped: await other.reap(),
          }));
          if (alive.before) {
            expectModel(
              !alive.value.taken.ok && alive.value.taken.code === 'STATEPROOF_OWNERSHIP',
              ['DSP-002', 'DSP-005'],
              () =>
                `past the first lease but within the heartbeat's, another session's assert of the id gave ${describeOutcome(alive.value.taken)}`,
            );
            expectModel(
              alive.value.reaped.expired === 0,
              ['DSP-002'],
              () => `the reaper expired a session a heartbeat kept alive: ${show(alive.value.reaped)}`,
            );
          }
          await extended.pass();
          if (noticer === 'owner') {
            const dead = await outcome(() => a.assert('z', 3));
            expectModel(
              !dead.ok && dead.code === 'STATEPROOF_SESSION_EXPIRED',
              ['DSP-003'],
              () => `an assert by a session whose lease passed gave ${describeOutcome(dead)}`,
            );
          } else if (noticer === 'other') {
            const taken = await outcome(() => b.assert('x', 9));
            expectModel(
              taken.ok,
              ['DSP-007'],
              () => `asserting an id of a session whose lease passed gave ${describeOutcome(taken)}`,
            );
          } else {
            const reaped = await other.reap();
            expectModel(
              reaped.expired === 1 && reaped.retracted === 2,
              ['DSP-009'],
              () => `a reap after the lease passed gave ${show(reaped)}, expected one session and its two assertions`,
            );
          }
          const again = await other.reap();
          expectModel(again.retracted === 0, ['DSP-009'], () => `a second reap retracted again: ${show(again)}`);
          const left = (await other.list()).assertions.map((x) => `${x.id}:${x.owner}`);
          const want = noticer === 'other' ? ['x:b'] : [];
          expectModel(
            show(left) === show(want),
            ['DSP-009', 'DSP-007'],
            () => `after the session expired the dataspace holds ${show(left)}, expected ${show(want)}`,
          );
          const beatDead = await outcome(() => a.heartbeat());
          expectModel(
            !beatDead.ok && beatDead.code === 'STATEPROOF_SESSION_EXPIRED',
            ['DSP-003'],
            () => `a heartbeat of an expired session gave ${describeOutcome(beatDead)}`,
          );
        } finally {
          await fixture.close();
        }
      },
    ),
};
