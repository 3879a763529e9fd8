import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { log, type LogSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { RESTART_SAFE_CLASSES } from '../common/restart-classes.js';

type Op =
  | { readonly op: 'append'; readonly stream: string; readonly count: number }
  | { readonly op: 'commit'; readonly stream: string; readonly consumer: string; readonly back: number };

const streamArb = fc.constantFrom('s', 't:%', 'é');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('append' as const),
      stream: streamArb,
      count: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('commit' as const),
      stream: streamArb,
      consumer: fc.constantFrom('c1', 'c2'),
      back: fc.integer({ min: 0, max: 3 }),
    }),
  },
);

/**
 * After a clean restart every acknowledged entry reads back with its sequence, committed cursors
 * are where they were committed, and the next append continues after the last sequence.
 */
export const logReopenProperty: PropertySpec = {
  name: 'log/reopen',
  kind: 'log',
  requirements: ['LOG-030', 'LOG-015', 'LOG-003'],
  classes: RESTART_SAFE_CLASSES,
  weight: 0.5,
  property: (env) =>
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 20 }), async (ops) => {
      const fixture = await env.fixtures.open((registry) => [
        log('conformance.reopen', { durability: env.cls, value: Type.Integer(), registry }) as LogSurface<number>,
      ]);
      try {
        const [surface] = fixture.surfaces;
        const before = fixture.rt.use(surface);
        const entries = new Map<string, Array<{ seq: number; value: number }>>();
        const cursors = new Map<string, number>();
        let n = 0;
        for (const o of ops) {
          const stream = entries.get(o.stream) ?? [];
          entries.set(o.stream, stream);
          if (o.op === 'append') {
            const values = Array.from({ length: o.count }, () => ++n);
            const seqs = await before.appendBatch(o.stream, values);
            seqs.forEach((seq, i) => stream.push({ seq, value: values[i] as number }));
          } else {
            const key = `${o.stream}\u0000${o.consumer}`;
            const seq = Math.max(cursors.get(key) ?? 0, (stream.at(-1)?.seq ?? 0) - o.back);
            await before.commitCursor(o.stream, o.consumer, seq);
            cursors.set(key, seq);
          }
        }
        const after = (await fixture.restart()).use(surface);
        for (const [stream, want] of entries) {
          const got = (await after.read(stream, { after: 0, limit: 1000 })).map((e) => ({
            seq: e.seq,
            value: e.value,
          }));
          expectModel(
            show(got) === show(want),
            ['LOG-030'],
            () => `after a restart stream ${show(stream)} reads ${show(got)}; acknowledged were ${show(want)}`,
          );
          const last = want.at(-1)?.seq ?? 0;
          const [next] = await after.appendBatch(stream, [0]);
          expectModel(
            next === last + 1,
            ['LOG-003', 'LOG-030'],
            () =>
              `after a restart the next append to ${show(stream)} got ${next}; the last acknowledged sequence was ${last}`,
          );
        }
        for (const [key, seq] of cursors) {
          const [stream, consumer] = key.split('\u0000') as [string, string];
          const got = await after.getCursor(stream, consumer);
          expectModel(
            got === seq,
            ['LOG-015'],
            () => `after a restart the cursor of ${show(consumer)} on ${show(stream)} is ${got}; ${seq} was committed`,
          );
        }
      } finally {
        await fixture.close();
      }
    }),
};
