import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { queue, type QueueSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';

/** A cancel of a running task reaches its worker in the heartbeat reply and ends the task when acknowledged. */
export const queueCancelProperty: PropertySpec = {
  name: 'queue/cancel',
  kind: 'queue',
  requirements: ['QUE-019', 'QUE-020', 'QUE-018', 'QUE-021'],
  features: ['cancel'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(fc.integer({ min: 0, max: 3 }), async (heartbeatsBefore) => {
      const fixture = await env.fixtures.open((registry) => [
        queue('conformance.cancel', { durability: env.cls, payload: Type.Integer(), registry }) as QueueSurface<
          number,
          unknown
        >,
      ]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const other = (await fixture.peer()).use(fixture.surfaces[0]);
        const { id } = await h.enqueue(1);
        const [task] = await h.claim({ worker: 'w', leaseMs: 60_000 });
        for (let i = 0; i < heartbeatsBefore; i++)
          expectModel(
            (await h.heartbeat(task!)).cancelRequested === false,
            ['QUE-019'],
            () => 'a cancel was reported before anyone asked',
          );
        const c = await other.cancel(id);
        expectModel(
          c.state === 'running' && c.cancelRequested,
          ['QUE-019'],
          () => `cancel of a running task gave ${show(c)}`,
        );
        const beat = await h.heartbeat(task!);
        expectModel(
          beat.cancelRequested === true,
          ['QUE-019'],
          () => `the heartbeat after a cancel reports ${show(beat)}`,
        );
        await h.acknowledgeCancel(task!);
        expectModel(
          (await other.get(id))?.state === 'canceled',
          ['QUE-020'],
          () => 'the acknowledged task is not canceled',
        );
        const again = await other.cancel(id);
        expectModel(again.state === 'canceled', ['QUE-021'], () => `cancel of a canceled task gave ${show(again)}`);
        const queued = await h.enqueue(2);
        expectModel(
          (await other.cancel(queued.id)).state === 'canceled',
          ['QUE-018'],
          () => 'a queued task was not canceled at once',
        );
        expectModel((await h.claim({ worker: 'w' })).length === 0, ['QUE-018'], () => 'a canceled task was claimed');
      } finally {
        await fixture.close();
      }
    }),
};
