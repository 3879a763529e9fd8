import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { record, type RecordSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { jsonArb, keyArb } from '../arbitraries.js';
import { RESTART_SAFE_CLASSES } from '../common/restart-classes.js';

type Op =
  | { readonly op: 'put'; readonly key: string; readonly value: unknown }
  | { readonly op: 'delete'; readonly key: string };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('put' as const), key: keyArb(), value: jsonArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), key: keyArb() }) },
);

/**
 * Every acknowledged write survives a clean restart with its value and version, deletes stay
 * deleted, and versions keep increasing afterwards (never reused across the restart).
 */
export const recordReopenProperty: PropertySpec = {
  name: 'record/reopen',
  kind: 'record',
  requirements: ['REC-032', 'REC-005'],
  classes: RESTART_SAFE_CLASSES,
  weight: 0.5,
  property: (env) =>
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
      const fixture = await env.fixtures.open((registry) => [
        record('conformance.reopen', {
          durability: env.cls,
          value: Type.Unknown(),
          registry,
        }) as RecordSurface<unknown>,
      ]);
      try {
        const [surface] = fixture.surfaces;
        const before = fixture.rt.use(surface);
        const acked = new Map<string, { value: unknown; version: number } | null>();
        const highest = new Map<string, number>();
        for (const o of ops) {
          if (o.op === 'put') {
            const { version } = await before.put(o.key, o.value);
            acked.set(o.key, { value: o.value, version });
            highest.set(o.key, version);
          } else {
            await before.delete(o.key);
            acked.set(o.key, null);
          }
        }
        const after = (await fixture.restart()).use(surface);
        for (const [key, want] of acked) {
          const got = await after.get(key);
          expectModel(
            want === null
              ? got === null
              : got !== null && got.version === want.version && isDeepStrictEqual(got.value, want.value),
            ['REC-032'],
            () =>
              `after a restart get(${show(key)}) gave ${show(got)}, but the last acknowledged write left ${show(want)}`,
          );
        }
        for (const [key, floor] of highest) {
          const { version } = await after.put(key, 'again');
          expectModel(
            version > floor,
            ['REC-005'],
            () => `after a restart put(${show(key)}) got version ${version}; before it the key had reached ${floor}`,
          );
        }
      } finally {
        await fixture.close();
      }
    }),
};
