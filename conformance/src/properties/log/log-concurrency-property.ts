import fc from 'fast-check';
import type { LogHandle } from '@stateproof/core';
import type { HistoryRecorder } from '../../linearizability/history-recorder.js';
import { logStreamModel, type LogAnswer, type LogCall } from '../../linearizability/models/log-stream-model.js';
import type { Outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { ConcurrencyTally, recordCall, runClientsLinearizable, yieldTurns } from '../common/concurrency-check.js';
import { defineLog } from './log-surface.js';

/**
 * One step of a client: wait a few turns, then call on a stream every client writes (`a`, `b`) or on
 * the client's own. `read-seen` reads after the last sequence the client saw on the stream, as a
 * consumer does; `read-beyond` reads past it.
 */
interface Step {
  readonly pause: number;
  readonly stream: 'a' | 'b' | 'own';
  readonly op: 'append' | 'batch' | 'read-all' | 'read-seen' | 'read-beyond' | 'info';
  readonly size: number;
  readonly limit: number;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  pause: fc.constantFrom(0, 0, 0, 1, 2),
  // Shared streams dominate: that is where two writers can hand out one sequence.
  stream: fc.constantFrom<Step['stream']>('a', 'a', 'a', 'b', 'own'),
  op: fc.constantFrom<Step['op']>(
    'append',
    'append',
    'append',
    'batch',
    'batch',
    'read-seen',
    'read-seen',
    'read-all',
    'read-beyond',
    'info',
  ),
  size: fc.integer({ min: 2, max: 3 }),
  limit: fc.integer({ min: 1, max: 4 }),
});

function answer(o: Outcome<unknown>, ok: (value: never) => LogAnswer): LogAnswer {
  return o.ok ? ok(o.value as never) : { kind: 'error', code: o.code };
}

/** Runs one client's steps on its own runtime, recording every call. Values name the client and step, so each is unique. */
async function client(
  c: number,
  steps: readonly Step[],
  h: LogHandle<unknown>,
  batch: boolean,
  recorder: HistoryRecorder<LogCall, LogAnswer>,
): Promise<void> {
  const seen = new Map<string, number>(); // the highest sequence this client saw per stream
  const learn = (stream: string, seqs: readonly number[]) => seen.set(stream, Math.max(seen.get(stream) ?? 0, ...seqs));
  for (const [i, step] of steps.entries()) {
    await yieldTurns(step.pause);
    const stream = step.stream === 'own' ? `own:c${c}` : step.stream;
    switch (step.op) {
      case 'append':
      case 'batch': {
        const values = step.op === 'batch' && batch ? range(step.size).map((k) => `c${c}.${i}.${k}`) : [`c${c}.${i}`];
        const isBatch = values.length > 1;
        const o = await recordCall(
          recorder,
          c,
          { op: 'append', stream, values, batch: isBatch },
          async () => (isBatch ? h.appendBatch(stream, values) : [await h.append(stream, values[0])]),
          (o) => answer(o, (seqs: number[]) => ({ kind: 'appended', seqs })),
        );
        if (o?.ok) learn(stream, o.value);
        break;
      }
      case 'read-all':
      case 'read-seen':
      case 'read-beyond': {
        const last = seen.get(stream) ?? 0;
        const after = step.op === 'read-all' ? 0 : step.op === 'read-seen' ? last : last + step.limit;
        const limit = step.op === 'read-all' ? 1000 : step.limit;
        const o = await recordCall(
          recorder,
          c,
          { op: 'read', stream, after, limit },
          () => h.read(stream, { after, limit }),
          (o) =>
            answer(o, (entries: Array<{ seq: number; value: unknown }>) => ({
              kind: 'entries',
              entries: entries.map((e) => ({ seq: e.seq, value: e.value })),
            })),
        );
        if (o?.ok)
          learn(
            stream,
            o.value.map((e) => e.seq),
          );
        break;
      }
      case 'info': {
        const o = await recordCall(
          recorder,
          c,
          { op: 'info', stream },
          () => h.info(stream),
          (o) => answer(o, (r: { first: number | null; last: number }) => ({ kind: 'info', ...r })),
        );
        if (o?.ok) learn(stream, [o.value.last]);
        break;
      }
    }
  }
}

const range = (n: number) => Array.from({ length: n }, (_, k) => k);

/**
 * Two to four clients, each on its own runtime and adapter instance over one namespace (another
 * process on the same backend), append single entries and, when the adapter claims `batch`, atomic
 * batches to two shared streams and one stream of their own, with reads from the start, after what
 * they saw and past it, and info, interleaved. The timed history must be linearizable against the
 * log model per stream: every append gets the next sequence (none skipped, none handed out twice), a
 * batch a run of consecutive ones with no other writer's entry inside, and every read exactly the
 * entries appended before it, in order.
 */
export const logConcurrencyProperty: PropertySpec = {
  name: 'log/concurrency',
  kind: 'log',
  requirements: ['LOG-001', 'LOG-002', 'LOG-003', 'LOG-004', 'LOG-005', 'LOG-006', 'LOG-007'],
  concurrency: true,
  property: (env) => {
    const tally = new ConcurrencyTally(env);
    const batch = env.capabilities.kinds.log?.features.batch === true;
    return fc.asyncProperty(
      fc.array(fc.array(stepArb, { minLength: 1, maxLength: 12 }), { minLength: 2, maxLength: 4 }),
      async (plan) => {
        const fixture = await env.fixtures.open((registry) => [
          defineLog(registry, env.cls, 'conformance.log-concurrency'),
        ]);
        try {
          const [surface] = fixture.surfaces;
          await runClientsLinearizable(
            fixture,
            plan,
            (c, steps, runtime, recorder: HistoryRecorder<LogCall, LogAnswer>) =>
              client(c, steps, runtime.use(surface), batch, recorder),
            { model: logStreamModel, requirements: logConcurrencyProperty.requirements, tally },
          );
        } finally {
          await fixture.close();
        }
      },
    );
  },
};
