import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { queue, type QueueSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { backoffBounds } from '../../models/queue-model.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';

/** Fails a task until it is out of attempts: each retry is due within the pinned backoff (cap included), and no attempt runs past the maximum. */
export const queueBackoffProperty: PropertySpec = {
  name: 'queue/backoff',
  kind: 'queue',
  requirements: ['QUE-013', 'QUE-014', 'QUE-015', 'QUE-008'],
  exactTime: true,
  weight: 0.5,
  property: (env) =>
    fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 50 }), fc.constantFrom(1.5, 2, 3), fc.integer({ min: 1, max: 100 }), fc.constantFrom(0, 0.25, 1), async (maxAttempts, baseDelayMs, factor, maxDelayMs, jitter) => {
      const retry = { maxAttempts, baseDelayMs, factor, maxDelayMs, jitter };
      const fixture = await env.fixtures.open((registry) => [queue('conformance.backoff', { durability: env.cls, payload: Type.Integer(), retry, registry }) as QueueSurface<number, unknown>]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const { id } = await h.enqueue(1);
        for (let n = 1; n <= maxAttempts + 1; n++) {
          await fixture.time.advance(10_000);
          const [task] = await h.claim({ worker: 'w', leaseMs: 60_000 });
          if (n > maxAttempts) {
            expectModel(task === undefined, ['QUE-015'], () => `attempt ${n} of a task allowed ${maxAttempts} was started`);
            break;
          }
          expectModel(task?.attempt === n, ['QUE-008'], () => `expected attempt ${n}, got ${show(task)}`);
          const now = fixture.time.now();
          const r = await h.fail(task!, `failure ${n}`);
          if (n === maxAttempts) {
            expectModel(r.state === 'failed', ['QUE-015'], () => `the last allowed attempt failed but the task is ${show(r)}`);
          } else {
            const [lo, hi] = backoffBounds(retry, n);
            expectModel(r.state === 'queued' && r.runAt >= now + lo && r.runAt <= now + hi, ['QUE-014'], () => `after attempt ${n} with ${show(retry)} the task is ${show(r)}; due must be in ${now + lo}..${now + hi}`);
          }
        }
        expectModel((await h.get(id))?.state === 'failed', ['QUE-015'], () => 'the task is not failed after its last attempt');
      } finally {
        await fixture.close();
      }
    }),
};

/** A zombie worker (lease expired, task reaped and re-claimed) can neither heartbeat, complete nor fail the new attempt. */
export const queueFencingProperty: PropertySpec = {
  name: 'queue/fencing',
  kind: 'queue',
  requirements: ['QUE-010', 'QUE-022', 'QUE-023', 'QUE-006'],
  exactTime: true,
  weight: 0.5,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom('heartbeat', 'complete', 'fail'), fc.integer({ min: 0, max: 40 }), async (op, lateBy) => {
      const fixture = await env.fixtures.open((registry) => [queue('conformance.fencing', { durability: env.cls, payload: Type.Integer(), retry: { baseDelayMs: 0, jitter: 0 }, registry }) as QueueSurface<number, unknown>]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const other = (await fixture.peer()).use(fixture.surfaces[0]);
        await h.enqueue(1);
        const [zombie] = await h.claim({ worker: 'zombie', leaseMs: 50 });
        const busy = await other.claim({ worker: 'rival', leaseMs: 50 });
        expectModel(busy.length === 0, ['QUE-006'], () => `a second worker claimed a task under an unexpired lease: ${show(busy)}`);
        await fixture.time.advance(50 + lateBy);
        const act = (t: { id: string; token: string }): Promise<unknown> => (op === 'heartbeat' ? h.heartbeat(t) : op === 'complete' ? h.complete(t, 'zombie') : h.fail(t, 'zombie'));
        const expired = await outcome(() => act(zombie!));
        expectModel(!expired.ok && expired.code === 'STATEPROOF_LEASE_LOST', ['QUE-010'], () => `${op} after the lease expired gave ${describeOutcome(expired)}`);
        const reaped = await other.reap();
        expectModel(reaped.lost === 1 && reaped.requeued === 1, ['QUE-023', 'QUE-022'], () => `another process's reap gave ${show(reaped)}, expected the zombie's attempt lost and re-queued`);
        const [fresh] = await other.claim({ worker: 'rival', leaseMs: 60_000 });
        expectModel(fresh?.attempt === 2, ['QUE-022'], () => `the rival got ${show(fresh)}, expected attempt 2`);
        const late = await outcome(() => act(zombie!));
        expectModel(!late.ok && late.code === 'STATEPROOF_LEASE_LOST', ['QUE-010'], () => `the zombie's ${op} during the rival's attempt gave ${describeOutcome(late)}`);
        expectModel((await other.get(fresh!.id))?.state === 'running', ['QUE-010'], () => "the zombie changed the rival's attempt");
      } finally {
        await fixture.close();
      }
    }),
};

/** A cancel of a running task reaches its worker in the heartbeat reply and ends the task when acknowledged. */
export const queueCancelProperty: PropertySpec = {
  name: 'queue/cancel',
  kind: 'queue',
  requirements: ['QUE-019', 'QUE-020', 'QUE-018', 'QUE-021'],
  features: ['cancel'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(fc.integer({ min: 0, max: 3 }), async (heartbeatsBefore) => {
      const fixture = await env.fixtures.open((registry) => [queue('conformance.cancel', { durability: env.cls, payload: Type.Integer(), registry }) as QueueSurface<number, unknown>]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const other = (await fixture.peer()).use(fixture.surfaces[0]);
        const { id } = await h.enqueue(1);
        const [task] = await h.claim({ worker: 'w', leaseMs: 60_000 });
        for (let i = 0; i < heartbeatsBefore; i++) expectModel((await h.heartbeat(task!)).cancelRequested === false, ['QUE-019'], () => 'a cancel was reported before anyone asked');
        const c = await other.cancel(id);
        expectModel(c.state === 'running' && c.cancelRequested, ['QUE-019'], () => `cancel of a running task gave ${show(c)}`);
        const beat = await h.heartbeat(task!);
        expectModel(beat.cancelRequested === true, ['QUE-019'], () => `the heartbeat after a cancel reports ${show(beat)}`);
        await h.acknowledgeCancel(task!);
        expectModel((await other.get(id))?.state === 'canceled', ['QUE-020'], () => 'the acknowledged task is not canceled');
        const again = await other.cancel(id);
        expectModel(again.state === 'canceled', ['QUE-021'], () => `cancel of a canceled task gave ${show(again)}`);
        const queued = await h.enqueue(2);
        expectModel((await other.cancel(queued.id)).state === 'canceled', ['QUE-018'], () => 'a queued task was not canceled at once');
        expectModel((await h.claim({ worker: 'w' })).length === 0, ['QUE-018'], () => 'a canceled task was claimed');
      } finally {
        await fixture.close();
      }
    }),
};
