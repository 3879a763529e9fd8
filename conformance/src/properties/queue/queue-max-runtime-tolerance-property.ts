import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { queue, type QueueSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { ExpiryWindow } from '../common/expiry-window.js';
import { serverClockOnly } from '../common/server-clock-only.js';

/**
 * With a server clock: on a surface with `maxRuntimeMs`, leases (claimed or renewed) are capped at
 * the attempt's start plus the maximum, and once it has passed the reaper ends the attempt as
 * timed out however recent its heartbeat, within the declared tolerance.
 */
export const queueMaxRuntimeToleranceProperty: PropertySpec = {
  name: 'queue/max-runtime-tolerance',
  kind: 'queue',
  requirements: ['QUE-024', 'QUE-009', 'QUE-011', 'QUE-026'],
  features: ['maxRuntime'],
  applies: serverClockOnly('queue/model'),
  weight: 0.1,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom(100, 150), async (maxRuntimeMs) => {
      const fixture = await env.fixtures.open((registry) => [
        queue('conformance.queue-runtime', {
          durability: env.cls,
          payload: Type.Integer(),
          maxRuntimeMs,
          retry: { baseDelayMs: 0, jitter: 0 },
          registry,
        }) as QueueSurface<number, unknown>,
      ]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const other = (await fixture.peer()).use(fixture.surfaces[0]);
        const { id } = await h.enqueue(1);
        const { value: claimed, window: cap } = await ExpiryWindow.around(fixture.time, maxRuntimeMs, () =>
          h.claim({ worker: 'w', leaseMs: 60_000 }),
        );
        const [task] = claimed;
        expectModel(
          task !== undefined && cap.admits(task.leaseExpiresAt),
          ['QUE-009', 'QUE-024'],
          () =>
            `a claim with a lease longer than the maximum runtime gave ${show(task)}; the lease must end at the start plus ${maxRuntimeMs} ms`,
        );
        await fixture.time.advance(Math.floor(maxRuntimeMs / 2));
        const beat = await outcome(() => h.heartbeat(task!, { leaseMs: 60_000 }));
        if (beat.ok)
          expectModel(
            cap.admits(beat.value.leaseExpiresAt),
            ['QUE-011', 'QUE-024'],
            () =>
              `a heartbeat past the maximum runtime's half set the lease to ${beat.value.leaseExpiresAt}, beyond the cap ${cap.latest}`,
          );
        const early = await cap.early(() => other.reap());
        if (early.before)
          expectModel(
            early.value.timedOut === 0 && early.value.lost === 0,
            ['QUE-024'],
            () => `the reaper ended an attempt before its maximum runtime: ${show(early.value)}`,
          );
        await cap.pass();
        const reaped = await other.reap();
        expectModel(
          reaped.timedOut === 1 && reaped.requeued === 1 && reaped.lost === 0,
          ['QUE-024'],
          () => `the reap after the maximum runtime gave ${show(reaped)}, expected one attempt timed out and re-queued`,
        );
        const info = await other.get(id);
        expectModel(
          info?.state === 'queued' && info.history[0]?.outcome === 'timed-out',
          ['QUE-024', 'QUE-026'],
          () => `the timed-out task reads ${show(info)}`,
        );
      } finally {
        await fixture.close();
      }
    }),
};
