import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { log, type LogSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { ExpiryWindow } from '../common/expiry-window.js';

/**
 * With a server clock: on a surface retaining by count and by age, a stream keeps its newest N
 * entries, an entry is returned until its age reaches the limit and never after it (within the
 * declared tolerance), and a read from before the oldest retained entry says so instead of
 * skipping ahead.
 */
export const logRetentionToleranceProperty: PropertySpec = {
  name: 'log/retention-tolerance',
  kind: 'log',
  requirements: ['LOG-008', 'LOG-009', 'LOG-010', 'LOG-007'],
  features: ['retention', 'batch'],
  applies: (env) =>
    env.exactTime
      ? 'the adapter takes an injectable clock; log/retention checks retention exactly'
      : env.cls === 'telemetry'
        ? 'telemetry logs are covered by log/telemetry-bounded'
        : true,
  weight: 0.1,
  property: (env) =>
    fc.asyncProperty(fc.integer({ min: 2, max: 4 }), fc.constantFrom(80, 120), async (maxEntries, maxAgeMs) => {
      const fixture = await env.fixtures.open((registry) => [
        log('conformance.log-retention', {
          durability: env.cls,
          value: Type.Integer(),
          retention: { maxEntries, maxAgeMs },
          registry,
        }) as LogSurface<number>,
      ]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const total = maxEntries + 2;
        const { window: young } = await ExpiryWindow.around(fixture.time, maxAgeMs, () =>
          h.appendBatch(
            'count',
            Array.from({ length: total }, (_, i) => i + 1),
          ),
        );
        const byCount = await young.early(async () => ({
          info: await h.info('count'),
          tail: await h.read('count', { after: total - maxEntries }),
          all: await outcome(() => h.read('count', { after: 0 })),
        }));
        if (byCount.before) {
          const { info, tail, all } = byCount.value;
          expectModel(
            info.first === total - maxEntries + 1 && info.last === total,
            ['LOG-008', 'LOG-007'],
            () => `after ${total} appends with maxEntries ${maxEntries} info is ${show(info)}`,
          );
          expectModel(
            show(tail.map((e) => e.seq)) ===
              show(Array.from({ length: maxEntries }, (_, i) => total - maxEntries + 1 + i)),
            ['LOG-008'],
            () => `the retained entries are ${show(tail.map((e) => e.seq))}`,
          );
          const err = all.ok ? undefined : (all.error as { oldest?: unknown; last?: unknown });
          expectModel(
            !all.ok &&
              all.code === 'STATEPROOF_LOG_TRIMMED' &&
              err?.oldest === total - maxEntries + 1 &&
              err.last === total,
            ['LOG-010'],
            () => `a read from the start after trimming by count gave ${describeOutcome(all)}`,
          );
        }
        const { window: aging } = await ExpiryWindow.around(fixture.time, maxAgeMs, () => h.appendBatch('age', [1, 2]));
        const fresh = await aging.early(() => h.read('age', { after: 0 }));
        if (fresh.before)
          expectModel(
            show(fresh.value.map((e) => e.seq)) === show([1, 2]),
            ['LOG-009'],
            () => `entries younger than ${maxAgeMs} ms read as ${show(fresh.value)}`,
          );
        await aging.pass();
        const emptied = await h.info('age');
        expectModel(
          emptied.first === null && emptied.last === 2,
          ['LOG-009', 'LOG-007'],
          () => `after the entries aged out info is ${show(emptied)}`,
        );
        const gone = await outcome(() => h.read('age', { after: 0 }));
        expectModel(
          !gone.ok && gone.code === 'STATEPROOF_LOG_TRIMMED',
          ['LOG-009', 'LOG-010'],
          () => `a read of aged-out entries gave ${describeOutcome(gone)}`,
        );
        await h.append('age', 3);
        const after = await h.read('age', { after: 2 });
        expectModel(
          show(after.map((e) => e.seq)) === show([3]),
          ['LOG-009'],
          () => `after the old entries aged out, a read after 2 gave ${show(after)}`,
        );
        const skipped = await outcome(() => h.read('age', { after: 1 }));
        const e = skipped.ok ? undefined : (skipped.error as { oldest?: unknown; last?: unknown });
        expectModel(
          !skipped.ok && skipped.code === 'STATEPROOF_LOG_TRIMMED' && e?.oldest === 3 && e.last === 3,
          ['LOG-010'],
          () => `a read after 1 with entry 2 aged out gave ${describeOutcome(skipped)}`,
        );
      } finally {
        await fixture.close();
      }
    }),
};
