import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { queue, type QueueSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { backoffBounds } from '../../models/queue-model.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { ExpiryWindow } from '../common/expiry-window.js';

const serverClockOnly = (what: string) => (env: { exactTime: boolean }) => (env.exactTime ? `the adapter takes an injectable clock; ${what} checks this exactly` : true);

/**
 * With a server clock: a claimed task's lease ends at the claim's instant plus `leaseMs`; nobody
 * else can claim it before; a heartbeat moves the lease and keeps it; once the lease has passed,
 * the worker's writes are refused and any other process's reaper ends the attempt as lost (once)
 * and re-queues it, for another worker to take as attempt 2. Both edges within the declared tolerance.
 */
export const queueLeaseToleranceProperty: PropertySpec = {
  name: 'queue/lease-tolerance',
  kind: 'queue',
  requirements: ['QUE-006', 'QUE-009', 'QUE-010', 'QUE-011', 'QUE-022', 'QUE-023', 'QUE-025', 'QUE-026', 'QUE-027', 'QUE-008'],
  applies: serverClockOnly('queue/model and queue/fencing'),
  weight: 0.1,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom(60, 100), fc.constantFrom<'complete' | 'fail' | 'heartbeat'>('complete', 'fail', 'heartbeat'), async (leaseMs, zombieOp) => {
      const fixture = await env.fixtures.open((registry) => [
        queue('conformance.queue-lease', { durability: env.cls, payload: Type.Integer(), retry: { baseDelayMs: 0, jitter: 0, maxAttempts: 3 }, registry }) as QueueSurface<number, unknown>,
      ]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const other = (await fixture.peer()).use(fixture.surfaces[0]);
        const slack = fixture.time.slackMs;
        const { id } = await h.enqueue(7);
        const { value: claimed, window: lease } = await ExpiryWindow.around(fixture.time, leaseMs, () => h.claim({ worker: 'zombie', leaseMs }));
        const [task] = claimed;
        expectModel(task?.id === id && task.attempt === 1 && lease.admits(task.leaseExpiresAt), ['QUE-009', 'QUE-008'], () => `claim gave ${show(claimed)}, expected attempt 1 leased until ${lease.earliest}..${lease.latest}`);
        const rival = await lease.early(() => other.claim({ worker: 'rival', leaseMs }));
        if (rival.before) expectModel(rival.value.length === 0, ['QUE-006'], () => `another worker claimed a task under an unexpired lease: ${show(rival.value)}`);
        // A heartbeat moves the lease well past the first one: the task stays with its worker.
        const longer = 2 * leaseMs + 3 * slack;
        const { value: beat, window: extended } = await ExpiryWindow.around(fixture.time, longer, () => outcome(() => h.heartbeat(task!, { leaseMs: longer })));
        if (!beat.ok) {
          expectModel(beat.code === 'STATEPROOF_LEASE_LOST' && fixture.time.now() > lease.earliest - slack, ['QUE-011'], () => `a heartbeat within the lease gave ${describeOutcome(beat)}`);
          return;
        }
        expectModel(extended.admits(beat.value.leaseExpiresAt), ['QUE-011'], () => `heartbeat for ${longer} ms moved the lease to ${beat.value.leaseExpiresAt}, outside ${extended.earliest}..${extended.latest}`);
        await lease.pass();
        const kept = await extended.early(async () => ({ claim: await other.claim({ worker: 'rival', leaseMs }), reap: await other.reap() }));
        if (kept.before) {
          expectModel(kept.value.claim.length === 0, ['QUE-011', 'QUE-006'], () => `past the first lease but within the heartbeat's, another worker claimed ${show(kept.value.claim)}`);
          expectModel(kept.value.reap.lost === 0, ['QUE-025'], () => `the reaper ended an attempt whose lease a heartbeat extended: ${show(kept.value.reap)}`);
        }
        await extended.pass();
        const act = (): Promise<unknown> => (zombieOp === 'heartbeat' ? h.heartbeat(task!) : zombieOp === 'complete' ? h.complete(task!, 'late') : h.fail(task!, 'late'));
        const expired = await outcome(act);
        expectModel(!expired.ok && expired.code === 'STATEPROOF_LEASE_LOST', ['QUE-010'], () => `${zombieOp} after the lease expired gave ${describeOutcome(expired)}`);
        const reaped = await other.reap();
        expectModel(reaped.lost === 1 && reaped.requeued === 1, ['QUE-022', 'QUE-023'], () => `another process's reap after the lease gave ${show(reaped)}, expected the attempt lost and re-queued`);
        const again = await other.reap();
        expectModel(again.lost === 0 && again.requeued === 0, ['QUE-025'], () => `a second reap gave ${show(again)}`);
        const info = await other.get(id);
        expectModel(info?.state === 'queued' && info.attempts === 1 && info.history[0]?.outcome === 'lost', ['QUE-022', 'QUE-026'], () => `the reaped task reads ${show(info)}`);
        expectModel((await other.counters()).lost === 1, ['QUE-027'], () => 'the lost attempt is not counted');
        const [fresh] = await other.claim({ worker: 'rival', leaseMs: 60_000 });
        expectModel(fresh?.id === id && fresh.attempt === 2, ['QUE-008', 'QUE-022'], () => `after the reap the rival got ${show(fresh)}, expected attempt 2`);
        const late = await outcome(act);
        expectModel(!late.ok && late.code === 'STATEPROOF_LEASE_LOST', ['QUE-010'], () => `the zombie's ${zombieOp} during the rival's attempt gave ${describeOutcome(late)}`);
        expectModel((await other.get(id))?.state === 'running', ['QUE-010'], () => "the zombie changed the rival's attempt");
      } finally {
        await fixture.close();
      }
    }),
};

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
      const fixture = await env.fixtures.open((registry) => [queue('conformance.queue-backoff', { durability: env.cls, payload: Type.Integer(), retry, registry }) as QueueSurface<number, unknown>]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const { value: enqueued, window: due } = await ExpiryWindow.around(fixture.time, baseDelayMs, () => h.enqueue(1, { delayMs: baseDelayMs }));
        const early = await due.early(() => h.claim({ worker: 'w', leaseMs: 60_000 }));
        if (early.before) expectModel(early.value.length === 0, ['QUE-004'], () => `a task enqueued with a ${baseDelayMs} ms delay was claimed before it was due: ${show(early.value)}`);
        await due.pass();
        const [first] = await h.claim({ worker: 'w', leaseMs: 60_000 });
        expectModel(first?.id === enqueued.id && first.attempt === 1, ['QUE-004'], () => `after its due time the task was not claimed: ${show(first)}`);
        const [lo, hi] = backoffBounds(retry, 1);
        const start = fixture.time.now();
        const failed = await h.fail(first!, 'boom');
        const end = fixture.time.now();
        const slack = fixture.time.slackMs;
        expectModel(failed.state === 'queued' && failed.runAt >= start + lo - slack && failed.runAt <= end + hi + slack, ['QUE-013', 'QUE-014'], () => `fail of attempt 1 with ${show(retry)} gave ${show(failed)}; due must be in ${start + lo}..${end + hi} (tolerance ${slack} ms)`);
        const retryAt = ExpiryWindow.at(fixture.time, (failed as { runAt: number }).runAt);
        const waiting = await retryAt.early(() => h.claim({ worker: 'w', leaseMs: 60_000 }));
        if (waiting.before) expectModel(waiting.value.length === 0, ['QUE-014', 'QUE-004'], () => `a failed task was claimed before its backoff ended: ${show(waiting.value)}`);
        await retryAt.pass();
        const [second] = await h.claim({ worker: 'w', leaseMs: 60_000 });
        expectModel(second?.attempt === 2, ['QUE-013', 'QUE-014'], () => `after its backoff the task gave ${show(second)}, expected attempt 2`);
        const last = await h.fail(second!, 'boom again');
        expectModel(last.state === 'failed', ['QUE-015'], () => `the last allowed attempt failed but the task is ${show(last)}`);
        const info = await h.get(enqueued.id);
        expectModel(info?.state === 'failed' && info.lastError === 'boom again' && info.history.map((a) => a.error).join('|') === 'boom|boom again', ['QUE-015', 'QUE-017'], () => `the failed task reads ${show(info)}`);
        expectModel((await h.claim({ worker: 'w' })).length === 0, ['QUE-015'], () => 'a task out of attempts was claimed again');
      } finally {
        await fixture.close();
      }
    }),
};

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
        queue('conformance.queue-runtime', { durability: env.cls, payload: Type.Integer(), maxRuntimeMs, retry: { baseDelayMs: 0, jitter: 0 }, registry }) as QueueSurface<number, unknown>,
      ]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const other = (await fixture.peer()).use(fixture.surfaces[0]);
        const { id } = await h.enqueue(1);
        const { value: claimed, window: cap } = await ExpiryWindow.around(fixture.time, maxRuntimeMs, () => h.claim({ worker: 'w', leaseMs: 60_000 }));
        const [task] = claimed;
        expectModel(task !== undefined && cap.admits(task.leaseExpiresAt), ['QUE-009', 'QUE-024'], () => `a claim with a lease longer than the maximum runtime gave ${show(task)}; the lease must end at the start plus ${maxRuntimeMs} ms`);
        await fixture.time.advance(Math.floor(maxRuntimeMs / 2));
        const beat = await outcome(() => h.heartbeat(task!, { leaseMs: 60_000 }));
        if (beat.ok) expectModel(cap.admits(beat.value.leaseExpiresAt), ['QUE-011', 'QUE-024'], () => `a heartbeat past the maximum runtime's half set the lease to ${beat.value.leaseExpiresAt}, beyond the cap ${cap.latest}`);
        const early = await cap.early(() => other.reap());
        if (early.before) expectModel(early.value.timedOut === 0 && early.value.lost === 0, ['QUE-024'], () => `the reaper ended an attempt before its maximum runtime: ${show(early.value)}`);
        await cap.pass();
        const reaped = await other.reap();
        expectModel(reaped.timedOut === 1 && reaped.requeued === 1 && reaped.lost === 0, ['QUE-024'], () => `the reap after the maximum runtime gave ${show(reaped)}, expected one attempt timed out and re-queued`);
        const info = await other.get(id);
        expectModel(info?.state === 'queued' && info.history[0]?.outcome === 'timed-out', ['QUE-024', 'QUE-026'], () => `the timed-out task reads ${show(info)}`);
      } finally {
        await fixture.close();
      }
    }),
};
