import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { queue, type QueueSurface, type Task } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { RESTART_SAFE_CLASSES } from '../common/restart-classes.js';

type Step = 'enqueue' | 'claim' | 'complete' | 'fail' | 'cancel';
const opArb = fc.record({
  step: fc.constantFrom<Step>('enqueue', 'enqueue', 'claim', 'complete', 'fail', 'cancel'),
  pick: fc.nat(),
});
const LEASE = 3_600_000;

/**
 * Tasks survive a clean restart as acknowledged: state, attempts, history and counters; a running
 * attempt's token still heartbeats while its lease holds, and running tasks are not claimed again.
 */
export const queueReopenProperty: PropertySpec = {
  name: 'queue/reopen',
  kind: 'queue',
  requirements: ['QUE-036'],
  classes: RESTART_SAFE_CLASSES,
  weight: 0.5,
  property: (env) =>
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 20 }), async (ops) => {
      const fixture = await env.fixtures.open((registry) => [
        queue('conformance.reopen', {
          durability: env.cls,
          payload: Type.Integer(),
          result: Type.Unknown(),
          retry: { maxAttempts: 3, baseDelayMs: 0 },
          registry,
        }) as QueueSurface<number, unknown>,
      ]);
      try {
        const [surface] = fixture.surfaces;
        const before = fixture.rt.use(surface);
        const ids: string[] = [];
        const running: Task<number>[] = [];
        let n = 0;
        for (const o of ops) {
          if (o.step === 'enqueue') ids.push((await before.enqueue(++n)).id);
          else if (o.step === 'claim')
            running.push(...(await before.claim({ worker: 'w1', limit: 1, leaseMs: LEASE })));
          else if (o.step === 'cancel' && ids.length > 0) await before.cancel(ids[o.pick % ids.length] as string);
          else if (running.length > 0) {
            const [task] = running.splice(o.pick % running.length, 1) as [Task<number>];
            // A cancel may have been requested or the attempt may be over; only acknowledged transitions count.
            const info = await before.get(task.id);
            if (info?.state !== 'running' || info.cancelRequested) continue;
            if (o.step === 'complete') await before.complete(task, { done: task.payload });
            else await before.fail(task, 'boom');
          }
        }
        const snapshot = await Promise.all(ids.map((id) => before.get(id)));
        const counters = await before.counters();
        const after = (await fixture.restart()).use(surface);
        for (const [i, id] of ids.entries()) {
          const got = await after.get(id);
          expectModel(
            isDeepStrictEqual(got, snapshot[i]),
            ['QUE-036'],
            () => `after a restart task ${id} is ${show(got)}; before it was ${show(snapshot[i])}`,
          );
        }
        const gotCounters = await after.counters();
        expectModel(
          isDeepStrictEqual(gotCounters, counters),
          ['QUE-036'],
          () => `after a restart the counters are ${show(gotCounters)}; before they were ${show(counters)}`,
        );
        const stillRunning = running.filter((t) => snapshot[ids.indexOf(t.id)]?.state === 'running');
        for (const t of stillRunning) {
          const hb = await after.heartbeat(t, { leaseMs: LEASE });
          expectModel(
            hb.leaseExpiresAt > fixture.time.now(),
            ['QUE-036'],
            () => `after a restart the heartbeat of ${t.id} gave ${show(hb)}`,
          );
        }
        const taken = await after.claim({ worker: 'w2', limit: 1000, leaseMs: LEASE });
        const due = snapshot.filter((s) => s?.state === 'queued' && s.runAt <= fixture.time.now()).map((s) => s?.id);
        const wrong = taken.filter((t) => !due.includes(t.id)).map((t) => t.id);
        expectModel(
          wrong.length === 0,
          ['QUE-036', 'QUE-006'],
          () => `after a restart claim took ${show(wrong)}, which were not queued and due before it`,
        );
      } finally {
        await fixture.close();
      }
    }),
};
