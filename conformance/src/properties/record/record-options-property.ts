import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { record, type RecordSurface } from '@stateproof/core';
import { expectModel } from '../../models/model-mismatch.js';
import { outcome, describeOutcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';

/** Contradictory conditions, out-of-range limits and foreign cursors are refused with STATEPROOF_INVALID_OPTIONS, changing nothing. */
export const recordOptionsProperty: PropertySpec = {
  name: 'record/options',
  kind: 'record',
  requirements: ['REC-010', 'REC-015', 'REC-017', 'REC-027'],
  features: ['list'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(
      fc.integer({ min: -5, max: 2000 }).filter((n) => n < 1 || n > 1000),
      fc.constantFrom('a', 'b'),
      async (badLimit, otherPrefix) => {
        const fixture = await env.fixtures.open((registry) => [
          record('conformance.options', {
            durability: env.cls,
            value: Type.Integer(),
            registry,
          }) as RecordSurface<number>,
        ]);
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          const { version } = await h.put('a1', 1);
          await h.put('a2', 2);
          const both = await outcome(() => h.put('a1', 9, { ifVersion: version, ifAbsent: true }));
          expectModel(
            !both.ok && both.code === 'STATEPROOF_INVALID_OPTIONS',
            ['REC-010'],
            () => `ifVersion with ifAbsent gave ${describeOutcome(both)}`,
          );
          expectModel(
            (await h.get('a1'))?.version === version,
            ['REC-027'],
            () => 'a refused write changed the record',
          );
          const limit = await outcome(() => h.list({ limit: badLimit }));
          expectModel(
            !limit.ok && limit.code === 'STATEPROOF_INVALID_OPTIONS',
            ['REC-015'],
            () => `list with limit ${badLimit} gave ${describeOutcome(limit)}`,
          );
          const page = await h.list({ prefix: 'a', limit: 1 });
          expectModel(
            page.cursor !== null && page.items.length === 1,
            ['REC-015'],
            () => 'a page of one record out of two returned no cursor',
          );
          const foreign = await outcome(() =>
            h.list({ prefix: otherPrefix === 'a' ? 'a1' : 'b', cursor: page.cursor }),
          );
          expectModel(
            !foreign.ok && foreign.code === 'STATEPROOF_INVALID_OPTIONS',
            ['REC-017'],
            () => `a cursor used with another prefix gave ${describeOutcome(foreign)}`,
          );
          const forged = await outcome(() => h.list({ prefix: 'a', cursor: 'not-a-cursor' }));
          expectModel(
            !forged.ok && forged.code === 'STATEPROOF_INVALID_OPTIONS',
            ['REC-017'],
            () => `a forged cursor gave ${describeOutcome(forged)}`,
          );
        } finally {
          await fixture.close();
        }
      },
    ),
};
