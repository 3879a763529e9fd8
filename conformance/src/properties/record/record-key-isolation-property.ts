import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { record, type RecordSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { trickyKeyArb } from '../arbitraries.js';

/**
 * Keys with quotes, percent signs, wildcards, colons, backslashes and astral characters stay where they
 * were written: another surface and another namespace never see them, and a prefix is matched
 * literally (`%`, `_`, `*`, `?`, `[` are not patterns).
 */
export const recordKeyIsolationProperty: PropertySpec = {
  name: 'record/key-isolation',
  kind: 'record',
  requirements: ['REC-029', 'REC-013'],
  features: ['list'],
  property: (env) =>
    fc.asyncProperty(
      fc.uniqueArray(trickyKeyArb, { minLength: 1, maxLength: 12 }),
      fc.constantFrom('%', '_', '*', '?', '[', '\\', "'", ':', 'a%', 'a_'),
      async (keys, prefix) => {
        const define = (registry: Parameters<Parameters<typeof env.fixtures.open>[0]>[0]) =>
          [
            record('conformance.iso.a', {
              durability: env.cls,
              value: Type.String(),
              registry,
            }) as RecordSurface<string>,
            record('conformance.iso.b', {
              durability: env.cls,
              value: Type.String(),
              registry,
            }) as RecordSurface<string>,
          ] as const;
        const one = await env.fixtures.open(define);
        const two = await env.fixtures.open(define);
        try {
          const a = one.rt.use(one.surfaces[0]);
          const b = one.rt.use(one.surfaces[1]);
          const elsewhere = two.rt.use(two.surfaces[0]);
          for (const k of keys) await a.put(k, `v:${k}`);
          for (const k of keys) {
            const got = await a.get(k);
            expectModel(got?.value === `v:${k}`, ['REC-029'], () => `get(${show(k)}) gave ${show(got)}`);
            expectModel(
              (await b.get(k)) === null,
              ['REC-029'],
              () => `key ${show(k)} written to one surface is visible in another`,
            );
            expectModel(
              (await elsewhere.get(k)) === null,
              ['REC-029'],
              () => `key ${show(k)} written in one namespace is visible in another`,
            );
          }
          const listed: string[] = [];
          let cursor: string | null = null;
          do {
            const r = await a.list({ prefix, limit: 3, cursor });
            listed.push(...r.items.map((i) => i.key));
            cursor = r.cursor;
          } while (cursor !== null);
          const want = keys
            .filter((k) => k.startsWith(prefix))
            .sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
          expectModel(
            show(listed) === show(want),
            ['REC-029', 'REC-013'],
            () => `prefix ${show(prefix)} listed ${show(listed)}, expected exactly ${show(want)}`,
          );
          expectModel(
            (await b.list({ prefix: '' })).items.length === 0,
            ['REC-029'],
            () => 'another surface lists keys it never wrote',
          );
        } finally {
          await one.close();
          await two.close();
        }
      },
    ),
};
