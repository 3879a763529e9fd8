import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { record, type RecordSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { utf8Compare } from '../../models/utf8-order.js';
import type { PropertySpec } from '../../environment/property-spec.js';

// U+FFFF sorts before an astral character in UTF-8 but after its surrogates in UTF-16: always present.
const ALWAYS = ['\uffff', '😀'];
const keyArb = fc.string({
  unit: fc.constantFrom('a', 'Z', '0', '~', '\u007e', 'é', '\ue000', '\uffff', '😀', '𝄞', ' '),
  minLength: 1,
  maxLength: 3,
});

/** Every adapter lists keys in UTF-8 byte order, page after page. */
export const recordKeyOrderProperty: PropertySpec = {
  name: 'record/key-order',
  kind: 'record',
  requirements: ['REC-014', 'REC-015', 'REC-013'],
  features: ['list'],
  weight: 0.5,
  property: (env) =>
    fc.asyncProperty(
      fc.uniqueArray(keyArb, { maxLength: 12 }),
      fc.integer({ min: 1, max: 4 }),
      async (extra, limit) => {
        const keys = [...new Set([...ALWAYS, ...extra])];
        const fixture = await env.fixtures.open((registry) => [
          record('conformance.order', {
            durability: env.cls,
            value: Type.Integer(),
            registry,
          }) as RecordSurface<number>,
        ]);
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          for (const k of keys) await h.put(k, 1);
          const seen: string[] = [];
          let cursor: string | null = null;
          do {
            const page = await h.list({ limit, cursor });
            seen.push(...page.items.map((i) => i.key));
            cursor = page.cursor;
          } while (cursor !== null && seen.length <= keys.length);
          const want = [...keys].sort(utf8Compare);
          expectModel(
            show(seen) === show(want),
            ['REC-014'],
            () => `listing gave ${show(seen)}, expected UTF-8 order ${show(want)}`,
          );
        } finally {
          await fixture.close();
        }
      },
    ),
};
