import fc from 'fast-check';
import { Type } from '@sinclair/typebox';
import { dataspace, type DataspaceSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { LONG } from './dataspace-surface.js';

/**
 * An ended session (closed, or expired and reaped) is kept for its retention window after its lease
 * end, refusing its owner with SESSION_EXPIRED; once maintenance pruned it after the window it is
 * unknown (NOT_FOUND) and still does nothing; an open session of any age is never pruned, and no
 * session id comes back.
 */
export const dataspaceRetentionProperty: PropertySpec = {
  name: 'dataspace/retention',
  kind: 'dataspace',
  requirements: ['DSP-025', 'DSP-003'],
  weight: 0.3,
  property: (env) => {
    const exact = env.exactTime;
    const windowMs = exact ? 10_000 : 1_000;
    const leaseMs = exact ? 1_000 : 300;
    return fc.asyncProperty(
      fc.constantFrom<'closed' | 'expired'>('closed', 'expired'),
      fc.integer({ min: 0, max: exact ? windowMs - 1 : 0 }),
      async (end, lookAtMs) => {
        const fixture = await env.fixtures.open((registry) => [
          dataspace('conformance.dataspace-retention', {
            durability: env.cls,
            value: Type.Integer(),
            retention: { endedSessionsMs: windowMs },
            registry,
          }) as DataspaceSurface<number>,
        ]);
        try {
          const surfaceId = fixture.surfaces[0].id;
          const h = fixture.rt.use(fixture.surfaces[0]);
          const old = await h.openSession({ owner: 'old', leaseMs: LONG });
          const s = await h.openSession({ owner: 'a', leaseMs });
          await s.assert('x', 1);
          if (end === 'closed') await s.close();
          // The lease end, then a look inside the window (on a server clock: right after the lease end plus its slack).
          await fixture.time.advance(leaseMs + (exact ? 0 : fixture.time.slackMs + 50));
          await fixture.rt.maintain();
          await fixture.time.advance(lookAtMs);
          await fixture.rt.maintain();
          const kept = await outcome(() => s.heartbeat());
          expectModel(
            !kept.ok && kept.code === 'STATEPROOF_SESSION_EXPIRED',
            ['DSP-025', 'DSP-003'],
            () =>
              `${lookAtMs} ms into the window (${windowMs} ms after its lease end) a heartbeat of the ${end} session gave ${describeOutcome(kept)}`,
          );
          await fixture.time.advance(windowMs - lookAtMs + (exact ? 0 : fixture.time.slackMs + 100));
          let pruned = 0;
          for (let pass = 0; pass < 50; pass++) {
            const n = (await fixture.rt.maintain()).pruned[surfaceId] ?? 0;
            pruned += n;
            if (n === 0) break;
          }
          const gone = await outcome(() => s.heartbeat());
          expectModel(
            !gone.ok && gone.code === 'STATEPROOF_NOT_FOUND',
            ['DSP-025'],
            () =>
              `after its window and maintenance (${pruned} pruned) a heartbeat of the ${end} session gave ${describeOutcome(gone)}, expected it pruned (NOT_FOUND)`,
          );
          const write = await outcome(() => s.assert('x', 2));
          expectModel(
            !write.ok && (write.code === 'STATEPROOF_NOT_FOUND' || write.code === 'STATEPROOF_SESSION_EXPIRED'),
            ['DSP-025'],
            () => `an assert through the pruned session gave ${describeOutcome(write)}`,
          );
          const alive = await outcome(() => old.heartbeat());
          expectModel(
            alive.ok,
            ['DSP-025'],
            () => `an open session older than the window could not heartbeat: ${describeOutcome(alive)}`,
          );
          const next = await h.openSession({ owner: 'b', leaseMs: LONG });
          expectModel(
            next.id !== s.id && next.id !== old.id,
            ['DSP-025'],
            () => `a new session got id ${show(next.id)}, already handed out`,
          );
          expectModel((await h.get('x')) === null, ['DSP-025'], () => 'an assertion of the pruned session is visible');
        } finally {
          await fixture.close();
        }
      },
    );
  },
};
