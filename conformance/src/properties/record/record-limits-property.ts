import { isDeepStrictEqual } from 'node:util';
import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { record, type RecordSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { outcome, describeOutcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { invalidKeyArb, nonIJsonArb, type SizedValue } from '../arbitraries.js';
import { describeSize, fitsLimitArb, LIMIT_BYTES, overLimitArb } from '../common/limits-property.js';
import type { RequirementId } from '../../requirements/requirement-ids.js';

const Doc = Type.Object(
  { n: Type.Integer({ minimum: 0 }), s: Type.Optional(Type.String()) },
  { additionalProperties: true },
);

type Bad =
  | { kind: 'key'; key: string }
  | { kind: 'value'; value: unknown; path: string; label: string }
  | { kind: 'proto'; path: string }
  | { kind: 'large'; bytes: number }
  | { kind: 'over'; sized: SizedValue }
  | { kind: 'schema'; value: unknown; path: string };

const badArb: fc.Arbitrary<Bad> = fc.oneof(
  invalidKeyArb.map((key) => ({ kind: 'key' as const, key })),
  nonIJsonArb.map((v) => ({ kind: 'value' as const, ...v })),
  fc.constantFrom('/__proto__', '/nested/__proto__').map((path) => ({ kind: 'proto' as const, path })),
  fc.integer({ min: LIMIT_BYTES + 1, max: 2000 }).map((bytes) => ({ kind: 'large' as const, bytes })),
  overLimitArb.map((sized) => ({ kind: 'over' as const, sized })),
  fc
    .constantFrom(
      { value: { n: -1 }, path: '/n' },
      { value: { n: 1.5 }, path: '/n' },
      { value: { s: 'x' }, path: '' },
      { value: { n: 1, s: 3 }, path: '/s' },
    )
    .map((v) => ({ kind: 'schema' as const, ...v })),
);

function attempt(bad: Bad): {
  key: string;
  value: unknown;
  code: string;
  path: string | undefined;
  req: RequirementId;
} {
  switch (bad.kind) {
    case 'key':
      return { key: bad.key, value: { n: 1 }, code: 'STATEPROOF_INVALID_KEY', path: 'key', req: 'REC-022' };
    case 'value':
      return { key: 'k', value: bad.value, code: 'STATEPROOF_NOT_IJSON', path: bad.path, req: 'REC-023' };
    case 'proto':
      return {
        key: 'k',
        value: JSON.parse(
          bad.path === '/__proto__'
            ? '{"n":1,"__proto__":{"polluted":true}}'
            : '{"n":1,"nested":{"__proto__":{"polluted":true}}}',
        ),
        code: 'STATEPROOF_FORBIDDEN_PROPERTY',
        path: bad.path,
        req: 'REC-024',
      };
    case 'large':
      return {
        key: 'k',
        value: { n: 1, s: 'x'.repeat(bad.bytes) },
        code: 'STATEPROOF_VALUE_TOO_LARGE',
        path: undefined,
        req: 'REC-025',
      };
    case 'over':
      return { key: 'k', value: bad.sized.value, code: 'STATEPROOF_VALUE_TOO_LARGE', path: undefined, req: 'REC-025' };
    case 'schema':
      return { key: 'k', value: bad.value, code: 'STATEPROOF_SCHEMA_VIOLATION', path: bad.path, req: 'REC-026' };
  }
}

/**
 * Every malformed input is refused with its typed error and the path to the offence, and nothing is
 * written: the previous value and version stay, and no prototype is polluted. Oversized values
 * include ones one to four UTF-8 bytes over the limit in multi-byte and astral characters; values of
 * exactly the limit and one byte under it, in such characters, are accepted and read back whole
 * (the limit counts the UTF-8 bytes of the encoded value, not its length in UTF-16 units).
 */
export const recordLimitsProperty: PropertySpec = {
  name: 'record/limits',
  kind: 'record',
  requirements: ['REC-022', 'REC-023', 'REC-024', 'REC-025', 'REC-026', 'REC-027'],
  property: (env) =>
    fc.asyncProperty(fc.array(badArb, { minLength: 1, maxLength: 6 }), fitsLimitArb, async (bads, fits) => {
      const fixture = await env.fixtures.open((registry) => [
        record('conformance.limits', {
          durability: env.cls,
          value: Doc,
          maxValueBytes: LIMIT_BYTES,
          registry,
        }) as RecordSurface<unknown>,
      ]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const before = await h.put('k', { n: 0 });
        for (const bad of bads) {
          const a = attempt(bad);
          const got = await outcome(() => h.put(a.key, a.value));
          expectModel(
            !got.ok && got.code === a.code,
            [a.req],
            () =>
              `put(${show(a.key).slice(0, 40)}, ${bad.kind === 'value' ? bad.label : bad.kind === 'over' ? describeSize(bad.sized) : show(a.value).slice(0, 60)}) gave ${describeOutcome(got)}, expected ${a.code}`,
          );
          const path = (got as { error: { path?: string } }).error.path;
          if (a.path !== undefined)
            expectModel(
              path === a.path,
              [a.req],
              () => `${a.code} carries path ${show(path)}, expected ${show(a.path)}`,
            );
          const now = await h.get('k');
          expectModel(
            now?.version === before.version && (now.value as { n: number }).n === 0,
            ['REC-027'],
            () => `after a refused write the record is ${show(now)}, expected version ${before.version} unchanged`,
          );
          expectModel(
            ({} as Record<string, unknown>)['polluted'] === undefined,
            ['REC-024'],
            () => 'Object.prototype was polluted',
          );
        }
        const fit = await outcome(() => h.put('fits', fits.value));
        expectModel(
          fit.ok,
          ['REC-025'],
          () => `put of ${describeSize(fits)} gave ${describeOutcome(fit)}; it fits, so it must be accepted`,
        );
        const back = await h.get('fits');
        expectModel(
          isDeepStrictEqual(back?.value, fits.value),
          ['REC-025'],
          () => `${describeSize(fits)} was accepted but reads back as ${show(back?.value)}`,
        );
      } finally {
        await fixture.close();
      }
    }),
};
