import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { queue, type QueueSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { backoffBounds } from '../../models/queue-settings.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { ExpiryWindow } from '../common/expiry-window.js';
import { serverClockOnly } from '../common/server-clock-only.js';

/**
 * With a server clock: a delayed task is not claimable before its due time and is after it; a
 * failed attempt is due again after the pinned backoff (its bounds, plus the tolerance), not before;
 * the last allowed attempt fails the task.
 */
export const queueBackoffToleranceProperty: PropertySpec = {
  name: 'queue/backoff-tolerance',
  kind: 'queue',
  requirements: ['QUE-004', 'QUE-013', 'QUE-014', 'QUE-015', 'QUE-017'],
  features: ['delay'],
  applies: serverClockOnly('queue/model and queue/backoff'),
  weight: 0.1,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom(80, 120), fc.constantFrom(0, 0.5), async (baseDelayMs, jitter) => {
      const retry = { maxAttempts: 2, baseDelayMs, factor: 2, maxDelayMs: 10_000, jitter };
      const fixture = await env.fixtures.open((registry) => [
        queue('conformance.queue-backoff', {
          durability: env.cls,
          payload: Type.Integer(),
          retry,
          registry,
        }) as QueueSurface<number, unknown>,
      ]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const { value: enqueued, window: due } = await ExpiryWindow.around(fixture.time, baseDelayMs, () =>
          h.enqueue(1, { delayMs: baseDelayMs }),
        );
        const early = await due.early(() => h.claim({ worker: 'w', leaseMs: 60_000 }));
        if (early.before)
          expectModel(
            early.value.length === 0,
            ['QUE-004'],
            () => `a task enqueued with a ${baseDelayMs} ms delay was claimed before it was due: ${show(early.value)}`,
          );
        await due.pass();
        // An early claim that reached the server after the due time may have taken the task: then it is the first.
        const tookFirst = !early.before && early.value !== undefined && early.value.length > 0;
        const [first] = tookFirst ? early.value! : await h.claim({ worker: 'w', leaseMs: 60_000 });
        expectModel(
          first?.id === enqueued.id && first.attempt === 1,
          ['QUE-004'],
          () => `after its due time the task was not claimed: ${show(first)}`,
        );
        const [lo, hi] = backoffBounds(retry, 1);
        const start = fixture.time.now();
        const failed = await h.fail(first!, 'boom');
        const end = fixture.time.now();
        const slack = fixture.time.slackMs;
        expectModel(
          failed.state === 'queued' && failed.runAt >= start + lo - slack && failed.runAt <= end + hi + slack,
          ['QUE-013', 'QUE-014'],
          () =>
            `fail of attempt 1 with ${show(retry)} gave ${show(failed)}; due must be in ${start + lo}..${end + hi} (tolerance ${slack} ms)`,
        );
        const retryAt = ExpiryWindow.at(fixture.time, (failed as { runAt: number }).runAt);
        const waiting = await retryAt.early(() => h.claim({ worker: 'w', leaseMs: 60_000 }));
        if (waiting.before)
          expectModel(
            waiting.value.length === 0,
            ['QUE-014', 'QUE-004'],
            () => `a failed task was claimed before its backoff ended: ${show(waiting.value)}`,
          );
        await retryAt.pass();
        // On a slow machine the early claim may reach the server after the backoff ended and take
        // the task: then that was the retry.
        const tookIt = !waiting.before && waiting.value !== undefined && waiting.value.length > 0;
        const [second] = tookIt ? waiting.value! : await h.claim({ worker: 'w', leaseMs: 60_000 });
        expectModel(
          second?.attempt === 2,
          ['QUE-013', 'QUE-014'],
          () => `after its backoff the task gave ${show(second)}, expected attempt 2`,
        );
        const last = await h.fail(second!, 'boom again');
        expectModel(
          last.state === 'failed',
          ['QUE-015'],
          () => `the last allowed attempt failed but the task is ${show(last)}`,
        );
        const info = await h.get(enqueued.id);
        expectModel(
          info?.state === 'failed' &&
            info.lastError === 'boom again' &&
            info.history.map((a) => a.error).join('|') === 'boom|boom again',
          ['QUE-015', 'QUE-017'],
          () => `the failed task reads ${show(info)}`,
        );
        expectModel(
          (await h.claim({ worker: 'w' })).length === 0,
          ['QUE-015'],
          () => 'a task out of attempts was claimed again',
        );
      } finally {
        await fixture.close();
      }
    }),
};
