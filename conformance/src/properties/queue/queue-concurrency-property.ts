import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { queue, type QueueHandle, type QueueSurface, type TaskRef } from '@stateproof/core';
import { HistoryRecorder } from '../../linearizability/history-recorder.js';
import {
  queueExclusivityModel,
  type QueueAnswer,
  type QueueCall,
} from '../../linearizability/models/queue-exclusivity-model.js';
import type { Outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import {
  clientRuntimes,
  ConcurrencyTally,
  expectLinearizable,
  recordCall,
  yieldTurns,
} from '../common/concurrency-check.js';

/** Long enough that no lease expires during a run, on any clock. */
const LEASE_MS = 120_000;
/** Retries come due an hour later: never during a run, so a retried task must not be claimed again. */
const RETRY = { maxAttempts: 2, baseDelayMs: 3_600_000, factor: 1, maxDelayMs: 3_600_000, jitter: 0 };

/**
 * One step of a worker: wait a few turns, then call. `complete` and `fail` end the oldest attempt
 * the worker holds (or claim when it holds none); `complete-stale` replays a token of an attempt the
 * worker already ended.
 */
interface Step {
  readonly pause: number;
  readonly op: 'claim' | 'claim-2' | 'complete' | 'fail' | 'fail-final' | 'complete-stale' | 'enqueue';
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  pause: fc.constantFrom(0, 0, 0, 1, 2),
  op: fc.constantFrom<Step['op']>(
    'claim',
    'claim',
    'claim',
    'claim-2',
    'complete',
    'complete',
    'fail',
    'fail-final',
    'complete-stale',
    'enqueue',
  ),
});

function answer(o: Outcome<unknown>, ok: (value: never) => QueueAnswer): QueueAnswer {
  if (o.ok) return ok(o.value as never);
  return o.code === 'STATEPROOF_LEASE_LOST' ? { kind: 'lease-lost' } : { kind: 'error', code: o.code };
}

const enqueued = (r: { id: string }): QueueAnswer => ({ kind: 'enqueued', id: r.id });

/** Runs one worker's steps on its own runtime as worker `w<n>`, recording every call. */
async function worker(
  c: number,
  steps: readonly Step[],
  h: QueueHandle<string, string>,
  recorder: HistoryRecorder<QueueCall, QueueAnswer>,
): Promise<void> {
  const name = `w${c}`;
  const held: TaskRef[] = []; // attempts this worker holds, oldest first
  const ended: TaskRef[] = []; // attempts it ended: their tokens are stale
  const claimTasks = async (limit: number) => {
    const o = await recordCall(
      recorder,
      c,
      { op: 'claim', worker: name, limit },
      () => h.claim({ worker: name, limit, leaseMs: LEASE_MS }),
      (o) =>
        answer(o, (tasks: Array<{ id: string; token: string; attempt: number }>) => ({
          kind: 'claimed',
          tasks: tasks.map((t) => ({ id: t.id, token: t.token, attempt: t.attempt })),
        })),
    );
    if (o?.ok) held.push(...o.value.map((t) => ({ id: t.id, token: t.token })));
  };
  for (const [i, step] of steps.entries()) {
    await yieldTurns(step.pause);
    const stale = ended[ended.length - 1];
    if (
      step.op === 'claim' ||
      step.op === 'claim-2' ||
      ((step.op === 'complete' || step.op === 'fail' || step.op === 'fail-final') && held.length === 0) ||
      (step.op === 'complete-stale' && !stale)
    ) {
      await claimTasks(step.op === 'claim-2' ? 2 : 1);
      continue;
    }
    if (step.op === 'enqueue') {
      const payload = `${name}.${i}`;
      await recordCall(
        recorder,
        c,
        { op: 'enqueue', payload },
        () => h.enqueue(payload),
        (o) => answer(o, enqueued),
      );
      continue;
    }
    const task = step.op === 'complete-stale' ? stale! : held.shift()!;
    if (step.op === 'complete' || step.op === 'complete-stale') {
      await recordCall(
        recorder,
        c,
        { op: 'complete', ...task },
        () => h.complete(task, `done by ${name}`),
        (o) => answer(o, () => ({ kind: 'done' })),
      );
    } else {
      const retry = step.op === 'fail';
      await recordCall(
        recorder,
        c,
        { op: 'fail', ...task, retry },
        () => h.fail(task, `failed by ${name}`, { retry }),
        (o) => answer(o, (r: { state: 'queued' | 'failed' }) => ({ kind: 'failed-attempt', state: r.state })),
      );
    }
    ended.push(task);
  }
}

/**
 * A few tasks are enqueued, then two to four workers, each on its own runtime and adapter instance
 * over one namespace, race to claim them (one or two at a time), complete or fail what they hold,
 * replay stale tokens and enqueue more, under leases that never run out. The timed history must be
 * linearizable per task against the exclusivity model: never two unexpired leases on one task, each
 * task claimed at most once per attempt and only while queued and due, attempts numbered in order
 * with fresh tokens, and only the running attempt's token completing or failing it.
 */
export const queueConcurrencyProperty: PropertySpec = {
  name: 'queue/concurrency',
  kind: 'queue',
  requirements: [
    'QUE-001',
    'QUE-004',
    'QUE-006',
    'QUE-008',
    'QUE-009',
    'QUE-010',
    'QUE-012',
    'QUE-013',
    'QUE-015',
    'QUE-016',
  ],
  concurrency: true,
  property: (env) => {
    const tally = new ConcurrencyTally(env);
    const model = queueExclusivityModel({ maxAttempts: RETRY.maxAttempts });
    const planArb = fc.record({
      tasks: fc.integer({ min: 1, max: 6 }),
      workers: fc.array(fc.array(stepArb, { minLength: 1, maxLength: 12 }), { minLength: 2, maxLength: 4 }),
    });
    return fc.asyncProperty(planArb, async (plan) => {
      const fixture = await env.fixtures.open((registry) => [
        queue('conformance.queue-concurrency', {
          durability: env.cls,
          payload: Type.String(),
          result: Type.String(),
          retry: RETRY,
          leaseMs: LEASE_MS,
          registry,
        }) as QueueSurface<string, string>,
      ]);
      try {
        const [surface] = fixture.surfaces;
        const runtimes = await clientRuntimes(fixture, plan.workers.length);
        const recorder = new HistoryRecorder<QueueCall, QueueAnswer>();
        const h0 = runtimes[0]!.use(surface);
        for (let t = 0; t < plan.tasks; t++)
          await recordCall(
            recorder,
            0,
            { op: 'enqueue', payload: `task ${t}` },
            () => h0.enqueue(`task ${t}`),
            (o) => answer(o, enqueued),
          );
        await Promise.all(plan.workers.map((steps, c) => worker(c, steps, runtimes[c]!.use(surface), recorder)));
        expectLinearizable(model, recorder.history(), {
          clients: plan.workers.length,
          requirements: queueConcurrencyProperty.requirements,
          tally,
        });
      } finally {
        await fixture.close();
      }
    });
  },
};
