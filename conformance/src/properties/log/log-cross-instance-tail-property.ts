import fc from 'fast-check';
import type { LogHandle, LogItemEvent } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { PARKED_MS, WAKE_TIMEOUT_MS } from '../common/parked-reads.js';
import { SubscriptionReader } from '../common/subscription-reader.js';
import { defineLog } from './log-surface.js';

const planArb = fc.integer({ min: 2, max: 3 }).chain((instances) =>
  fc.record({
    instances: fc.constant(instances),
    /** Entries appended before the tails start, each by some instance. */
    before: fc.array(fc.nat(instances - 1), { maxLength: 4 }),
    /** Where each instance's tail starts (capped at the entries appended before). */
    starts: fc.array(fc.nat(4), { minLength: instances, maxLength: instances }),
    /** Rounds: one instance appends `count` entries (as one batch when `batch` and the adapter claims it). */
    rounds: fc.array(
      fc.record({ writer: fc.nat(instances - 1), count: fc.integer({ min: 1, max: 3 }), batch: fc.boolean() }),
      { minLength: 1, maxLength: 5 },
    ),
  }),
);

/** One tail under test: on which instance, and the next sequence it must yield. */
interface Tail {
  readonly instance: number;
  readonly reader: SubscriptionReader<LogItemEvent<unknown>>;
  next: number;
  /** What it yielded, for reports. */
  readonly got: number[];
}

/**
 * Each of two or three adapter instances on one namespace (processes on one backend) tails one
 * stream, then in rounds one instance appends while every tail is parked: it has yielded everything
 * and its next read is already waiting. Every tail must wake and yield the new entries, in order,
 * once each, whichever instance appended them, and nothing more. A tail that catches up by reading
 * when asked but is only woken by its own instance's appends passes log/subscribe; it fails here.
 */
export const logCrossInstanceTailProperty: PropertySpec = {
  name: 'log/cross-instance-tail',
  kind: 'log',
  requirements: ['LOG-016', 'LOG-018'],
  features: ['subscribe'],
  property: (env) => {
    const batchClaimed = env.capabilities.kinds.log?.features.batch === true;
    return fc.asyncProperty(planArb, async (plan) => {
      const fixture = await env.fixtures.open((registry) => [defineLog(registry, env.cls, 'conformance.log-tail')]);
      try {
        const [surface] = fixture.surfaces;
        const runtimes = [fixture.rt];
        while (runtimes.length < plan.instances) runtimes.push(await fixture.peer());
        const handles: LogHandle<unknown>[] = runtimes.map((rt) => rt.use(surface));
        const values: unknown[] = []; // the value of entry seq at index seq - 1
        let written = 0;
        const append = async (writer: number, count: number, batch: boolean) => {
          const vs = Array.from({ length: count }, () => `i${writer}.${++written}`);
          const h = handles[writer]!;
          const seqs: number[] = [];
          if (batch && count > 1) seqs.push(...(await h.appendBatch('s', vs)));
          else for (const v of vs) seqs.push(await h.append('s', v));
          seqs.forEach((seq, k) => (values[seq - 1] = vs[k]));
          return seqs;
        };
        for (const writer of plan.before) await append(writer, 1, false);
        const tails: Tail[] = [];
        for (const [instance, h] of handles.entries()) {
          const after = Math.min(plan.starts[instance]!, plan.before.length);
          tails.push({
            instance,
            reader: new SubscriptionReader(await h.subscribe('s', { after })),
            next: after + 1,
            got: [],
          });
        }
        /** Reads every entry up to `last` from one tail, in order, once each. */
        const catchUp = async (t: Tail, last: number, cause: () => string) => {
          while (t.next <= last) {
            const e = await t.reader.read(WAKE_TIMEOUT_MS);
            expectModel(
              e !== 'timeout' && e !== 'done',
              ['LOG-016'],
              () =>
                `the tail on instance ${t.instance}, waiting for entry ${t.next} (it yielded ${show(t.got)}), ${e === 'done' ? 'ended' : `yielded nothing for ${WAKE_TIMEOUT_MS} ms`} after ${cause()}`,
            );
            expectModel(e.type === 'entry', ['LOG-016'], () => `the tail on instance ${t.instance} got ${show(e)}`);
            if (e.type !== 'entry') return;
            t.got.push(e.entry.seq);
            expectModel(
              e.entry.seq === t.next && e.entry.value === values[e.entry.seq - 1],
              ['LOG-016'],
              () =>
                `the tail on instance ${t.instance} yielded ${show(t.got)}, the last carrying ${show(e.entry.value)}: expected ${t.next} (${show(values[t.next - 1])}) next, with no gap and no duplicate`,
            );
            t.next++;
          }
        };
        await Promise.all(tails.map((t) => catchUp(t, values.length, () => `subscribing from ${t.next - 1}`)));
        for (const round of plan.rounds) {
          // Park every tail: it has yielded everything, and a read is waiting. Nothing more may come.
          const idle = await Promise.all(tails.map((t) => t.reader.read(PARKED_MS)));
          for (const [k, e] of idle.entries())
            expectModel(
              e === 'timeout',
              ['LOG-016'],
              () =>
                `the tail on instance ${k} yielded ${show(e)} after every entry up to ${values.length} (it yielded ${show(tails[k]!.got)}): a duplicate, or an entry nobody appended`,
            );
          const seqs = await append(round.writer, round.count, round.batch && batchClaimed);
          const cause = () => `instance ${round.writer} appended ${show(seqs)} while it waited`;
          await Promise.all(tails.map((t) => catchUp(t, values.length, cause)));
        }
        for (const t of tails)
          expectModel(
            await t.reader.closeEndsPending(),
            ['LOG-018'],
            () => `a read pending on the tail of instance ${t.instance} did not end when it closed`,
          );
      } finally {
        await fixture.close();
      }
    });
  },
};
