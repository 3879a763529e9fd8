import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { log, type LogSurface } from '@stateproof/core';
import { expectModel } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';

/** Commits in any order: forward ones stick, backward ones fail unless reset, and none goes beyond the last entry. */
export const logCursorsProperty: PropertySpec = {
  name: 'log/cursors',
  kind: 'log',
  requirements: ['LOG-012', 'LOG-013', 'LOG-014'],
  features: ['cursors'],
  weight: 0.5,
  property: (env) =>
    fc.asyncProperty(
      fc.integer({ min: 2, max: 10 }),
      fc.array(fc.record({ seq: fc.integer({ min: 0, max: 12 }), reset: fc.boolean() }), {
        minLength: 1,
        maxLength: 12,
      }),
      async (entries, commits) => {
        const fixture = await env.fixtures.open((registry) => [
          log('conformance.cursors', {
            durability: env.cls,
            value: Type.Integer(),
            ...(env.cls === 'telemetry' ? { retention: { maxEntries: 100 } } : {}),
            registry,
          }) as LogSurface<number>,
        ]);
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          for (let i = 0; i < entries; i++) await h.append('s', i);
          const zero = await h.getCursor('s', 'c');
          expectModel(zero === 0, ['LOG-012'], () => `a new consumer's cursor is ${zero}`);
          // Always try one step forward and one step back first, then the random commits.
          let current = 0;
          for (const c of [{ seq: 2, reset: false }, { seq: 1, reset: false }, ...commits]) {
            const got = await outcome(() => h.commitCursor('s', 'c', c.seq, { reset: c.reset }));
            const want =
              c.seq > entries
                ? 'STATEPROOF_INVALID_OPTIONS'
                : c.seq < current && !c.reset
                  ? 'STATEPROOF_CURSOR_REGRESSION'
                  : 'ok';
            expectModel(
              want === 'ok' ? got.ok : !got.ok && got.code === want,
              [c.seq > entries ? 'LOG-014' : 'LOG-013'],
              () =>
                `commit ${c.seq}${c.reset ? ' with reset' : ''} from ${current} gave ${describeOutcome(got)}, expected ${want}`,
            );
            if (want === 'ok') current = c.seq;
            const now = await h.getCursor('s', 'c');
            expectModel(now === current, ['LOG-013'], () => `the cursor is ${now}, expected ${current}`);
          }
        } finally {
          await fixture.close();
        }
      },
    ),
};
