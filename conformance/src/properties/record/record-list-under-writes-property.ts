import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { record, type RecordSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { utf8Compare } from '../../models/utf8-order.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { keyArb } from '../arbitraries.js';

type Write = { readonly op: 'put' | 'delete'; readonly key: string };

/**
 * A paged walk interleaved with writes between pages: every key that exists unchanged for the whole
 * walk is returned exactly once, no key is returned twice, and keys come in strictly increasing order.
 */
export const recordListUnderWritesProperty: PropertySpec = {
  name: 'record/list-under-writes',
  kind: 'record',
  requirements: ['REC-016', 'REC-014', 'REC-015'],
  features: ['list'],
  property: (env) =>
    fc.asyncProperty(
      fc.uniqueArray(keyArb(['a', 'b', 'c', 'é', '😀']), { minLength: 1, maxLength: 25 }),
      fc.integer({ min: 1, max: 5 }),
      fc.array(
        fc.array(
          fc.record({
            op: fc.constantFrom<'put' | 'delete'>('put', 'delete'),
            key: keyArb(['a', 'b', 'c', 'é', '😀']),
          }),
          { maxLength: 3 },
        ),
        { maxLength: 12 },
      ),
      async (initial, limit, writesPerPage: Write[][]) => {
        const fixture = await env.fixtures.open((registry) => [
          record('conformance.paging', {
            durability: env.cls,
            value: Type.Integer(),
            registry,
          }) as RecordSurface<number>,
        ]);
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          for (const k of initial) await h.put(k, 0);
          const touched = new Set<string>();
          const seen: string[] = [];
          let cursor: string | null = null;
          for (let page = 0; ; page++) {
            const r = await h.list({ limit, cursor });
            seen.push(...r.items.map((i) => i.key));
            cursor = r.cursor;
            if (cursor === null || page > 200) break;
            for (const w of writesPerPage[page] ?? []) {
              touched.add(w.key);
              if (w.op === 'put') await h.put(w.key, page + 1);
              else await h.delete(w.key);
            }
          }
          for (let i = 1; i < seen.length; i++) {
            expectModel(
              utf8Compare(seen[i - 1] as string, seen[i] as string) < 0,
              ['REC-014', 'REC-016'],
              () => `walk returned ${show(seen)}: not strictly increasing at ${i}`,
            );
          }
          for (const k of initial) {
            if (touched.has(k)) continue;
            const n = seen.filter((s) => s === k).length;
            expectModel(
              n === 1,
              ['REC-016'],
              () =>
                `key ${show(k)} existed unchanged for the whole walk but was returned ${n} times (walk ${show(seen)})`,
            );
          }
        } finally {
          await fixture.close();
        }
      },
    ),
};
