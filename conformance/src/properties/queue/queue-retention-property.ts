import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { queue, type QueueCounters, type QueueHandle, type QueueSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';

/** How the task under test finishes. */
type Ending = 'succeeded' | 'failed' | 'canceled-queued' | 'canceled-running';

/** Runs maintenance until a pass prunes nothing more (each pass prunes a bounded amount). */
async function pruneAll(maintain: () => Promise<{ pruned: Record<string, number> }>, id: string): Promise<number> {
  let total = 0;
  for (let pass = 0; pass < 50; pass++) {
    const n = (await maintain()).pruned[id] ?? 0;
    total += n;
    if (n === 0) return total;
  }
  return total;
}

/** The finished counters: what pruning must not change. */
const finished = (c: QueueCounters): string =>
  show({ succeeded: c.succeeded, failed: c.failed, canceled: c.canceled, lost: c.lost });

/**
 * A finished task is kept, readable and deduping its idempotency key, for its retention window
 * counted from when it finished (not from its enqueue: it may have run for most of the window), and
 * maintenance prunes it after the window with its key, while queued and running tasks of any age
 * stay; the counters go on counting what was pruned, and no id comes back.
 */
export const queueRetentionProperty: PropertySpec = {
  name: 'queue/retention',
  kind: 'queue',
  requirements: ['QUE-037', 'QUE-038', 'QUE-002', 'QUE-027'],
  weight: 0.3,
  property: (env) => {
    const exact = env.exactTime;
    // A server clock is only approximately ours: short windows, checked well inside and well past them.
    const windowMs = exact ? 10_000 : 1_500;
    const cancel = env.capabilities.kinds.queue?.features['cancel'] === true;
    const keyed = env.capabilities.kinds.queue?.features['idempotency'] === true;
    const endings: Ending[] = cancel
      ? ['succeeded', 'failed', 'canceled-queued', 'canceled-running']
      : ['succeeded', 'failed'];
    return fc.asyncProperty(
      fc.constantFrom(...endings),
      // How long the task ran before it finished, and how far into its window the first look is.
      // The edges weigh as much as the rest: a window counted from the enqueue shows once the run
      // and the look together reach it, a window ignored or cut short shows at its last instant.
      exact
        ? fc.oneof(fc.constantFrom(0, windowMs / 2, windowMs), fc.integer({ min: 0, max: windowMs }))
        : fc.constant(0),
      exact
        ? fc.oneof(fc.constantFrom(windowMs - 1, windowMs / 2), fc.integer({ min: 0, max: windowMs - 1 }))
        : fc.constant(0),
      async (ending, ranMs, lookAtMs) => {
        const fixture = await env.fixtures.open((registry) => [
          queue('conformance.retention', {
            durability: env.cls,
            payload: Type.Integer(),
            result: Type.String(),
            retry: { maxAttempts: 1 },
            retention: { finishedMs: windowMs },
            registry,
          }) as QueueSurface<number, string>,
        ]);
        try {
          const surfaceId = fixture.surfaces[0].id;
          const h: QueueHandle<number, string> = fixture.rt.use(fixture.surfaces[0]);
          const maintain = () => fixture.rt.maintain();
          const key = keyed ? { idempotencyKey: 'retained' } : {};
          // Old work that must outlive every window: a queued task nobody claims and a running one.
          const waiting = await h.enqueue(0, { queue: 'waiting' });
          await h.enqueue(0, { queue: 'busy' });
          const [running] = await h.claim({ worker: 'busy', queues: ['busy'], leaseMs: 3_600_000 });
          const task = await h.enqueue(1, { queue: 'main', ...key });
          if (ending === 'canceled-queued') {
            await fixture.time.advance(ranMs);
            await h.cancel(task.id);
          } else {
            const [t] = await h.claim({ worker: 'w', queues: ['main'], leaseMs: 3_600_000 });
            await fixture.time.advance(ranMs);
            if (ending === 'succeeded') await h.complete(t!, 'done');
            else if (ending === 'failed') await h.fail(t!, 'broken', { retry: false });
            else {
              await h.cancel(task.id);
              await h.acknowledgeCancel(t!);
            }
          }
          const state = ending.startsWith('canceled') ? 'canceled' : ending;
          await fixture.time.advance(lookAtMs);
          const before = await h.counters();
          await pruneAll(maintain, surfaceId);
          const kept = await h.get(task.id);
          expectModel(
            kept?.state === state && (state !== 'succeeded' || kept.result === 'done'),
            ['QUE-037'],
            () =>
              `${lookAtMs} ms after it finished (${ranMs} ms after it started, window ${windowMs} ms) the ${state} task reads ${show(kept)}`,
          );
          if (keyed) {
            const again = await h.enqueue(2, { queue: 'main', ...key });
            expectModel(
              again.deduped && again.id === task.id,
              ['QUE-037', 'QUE-002'],
              () => `within the window an enqueue with the finished task's key gave ${show(again)}`,
            );
          }
          // Past the window: at exactly its end on a manual clock, comfortably past it on a server's.
          await fixture.time.advance(windowMs - lookAtMs + (exact ? 0 : fixture.time.slackMs + 100));
          await pruneAll(maintain, surfaceId);
          const gone = await h.get(task.id);
          expectModel(
            gone === null,
            ['QUE-038'],
            () => `the ${state} task is still there after its window and maintenance: ${show(gone)}`,
          );
          const after = await h.counters();
          expectModel(
            finished(after) === finished(before),
            ['QUE-038', 'QUE-027'],
            () => `pruning changed the finished counters from ${finished(before)} to ${finished(after)}`,
          );
          const fresh = await h.enqueue(3, { queue: 'main', ...key });
          expectModel(
            !fresh.deduped && fresh.id !== task.id,
            ['QUE-038'],
            () => `after its task was pruned, an enqueue with the same key gave ${show(fresh)} (pruned id ${task.id})`,
          );
          const stillQueued = await h.get(waiting.id);
          const stillRunning = await h.get(running!.id);
          expectModel(
            stillQueued?.state === 'queued' && stillRunning?.state === 'running',
            ['QUE-037'],
            () =>
              `pruning touched unfinished work: the queued task reads ${show(stillQueued)}, the running one ${show(stillRunning)}`,
          );
        } finally {
          await fixture.close();
        }
      },
    );
  },
};
