import { Type, type TSchema } from '@sinclair/typebox';
import fc from 'fast-check';
import type { AnySurface, Registry, Runtime } from '@stateproof/core';
import type { DurabilityClass, SurfaceKind } from '@stateproof/spec';
import { expectModel, show } from '../../models/model-mismatch.js';
import { outcome, describeOutcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { invalidKeyArb, nonIJsonArb, sizedValueArb, type SizedValue } from '../arbitraries.js';
import type { RequirementId } from '../../requirements/requirement-ids.js';

/** The schema every limits property writes against. */
export const LIMITS_SCHEMA = Type.Object(
  { n: Type.Integer({ minimum: 0 }), s: Type.Optional(Type.String()) },
  { additionalProperties: true },
);

/** How one kind takes part in the limits property. */
export interface LimitsSubject<S extends AnySurface> {
  readonly kind: SurfaceKind;
  readonly name: string;
  readonly requirements: {
    readonly invalidKey: RequirementId;
    readonly notIJson: RequirementId;
    readonly tooLarge: RequirementId;
    readonly schema: RequirementId;
    readonly nothingWritten?: RequirementId;
  };
  /** Defines the surface with the given value schema and size bound. */
  define(registry: Registry, cls: DurabilityClass, schema: TSchema, maxValueBytes: number): S;
  /** Makes a valid first write, so that there is state to protect. */
  setup(rt: Runtime, surface: S): Promise<void>;
  /** One write of `value` under `key` (a key, stream, topic, id…). */
  write(rt: Runtime, surface: S, key: string, value: unknown): Promise<unknown>;
  /** Observable state that a refused write must not change. */
  state(rt: Runtime, surface: S): Promise<unknown>;
  /** Features needed. */
  readonly features?: readonly string[];
}

/** The surface's `maxValueBytes` in the limits properties. */
export const LIMIT_BYTES = 256;

type Bad =
  | { kind: 'key'; key: string }
  | { kind: 'value'; value: unknown; path: string; label: string }
  | { kind: 'proto'; deep: boolean }
  | { kind: 'large'; bytes: number }
  | { kind: 'over'; sized: SizedValue }
  | { kind: 'schema'; value: unknown; path: string };

/** Just over the limit in UTF-8 bytes, mostly multi-byte and astral characters: fewer UTF-16 units than bytes. */
export const overLimitArb: fc.Arbitrary<SizedValue> = fc
  .integer({ min: 1, max: 4 })
  .chain((d) => sizedValueArb(LIMIT_BYTES + d));

/** Exactly at the limit, or one byte under it, in UTF-8 bytes of multi-byte characters: accepted. */
export const fitsLimitArb: fc.Arbitrary<SizedValue> = fc
  .constantFrom(0, 1)
  .chain((d) => sizedValueArb(LIMIT_BYTES - d));

/** What a size check counted, for messages. */
export function describeSize(v: SizedValue): string {
  return `a value of ${v.bytes} UTF-8 bytes (${v.units} UTF-16 units) against a limit of ${LIMIT_BYTES} bytes`;
}

const badArb: fc.Arbitrary<Bad> = fc.oneof(
  invalidKeyArb.map((key) => ({ kind: 'key' as const, key })),
  nonIJsonArb.map((v) => ({ kind: 'value' as const, ...v })),
  fc.boolean().map((deep) => ({ kind: 'proto' as const, deep })),
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

/**
 * Malformed input is refused with its typed error and the path to the offence, and changes nothing:
 * invalid keys, non-I-JSON values, `__proto__` members, oversized values (also one to four UTF-8
 * bytes over the limit in multi-byte and astral characters) and schema violations (the fixture runs
 * in enforce mode). Then a value of exactly the limit, or one byte under it, in multi-byte
 * characters, is accepted: the limit counts the UTF-8 bytes of the encoded value, not its length.
 */
export function limitsProperty<S extends AnySurface>(subject: LimitsSubject<S>): PropertySpec {
  const r = subject.requirements;
  const all = [r.invalidKey, r.notIJson, r.tooLarge, r.schema, ...(r.nothingWritten ? [r.nothingWritten] : [])];
  return {
    name: `${subject.kind}/limits`,
    kind: subject.kind,
    requirements: [...new Set(all)],
    ...(subject.features ? { features: subject.features } : {}),
    weight: 0.5,
    property: (env) =>
      fc.asyncProperty(fc.array(badArb, { minLength: 1, maxLength: 5 }), fitsLimitArb, async (bads, fits) => {
        const fixture = await env.fixtures.open((registry) => [
          subject.define(registry, env.cls, LIMITS_SCHEMA, LIMIT_BYTES),
        ]);
        try {
          const surface = fixture.surfaces[0] as S;
          await subject.setup(fixture.rt, surface);
          const before = await subject.state(fixture.rt, surface);
          for (const bad of bads) {
            const attempt =
              bad.kind === 'key'
                ? {
                    key: bad.key,
                    value: { n: 1 },
                    code: 'STATEPROOF_INVALID_KEY',
                    path: undefined as string | undefined,
                    req: r.invalidKey,
                  }
                : bad.kind === 'value'
                  ? { key: 'k', value: bad.value, code: 'STATEPROOF_NOT_IJSON', path: bad.path, req: r.notIJson }
                  : bad.kind === 'proto'
                    ? {
                        key: 'k',
                        value: JSON.parse(
                          bad.deep ? '{"n":1,"m":{"__proto__":{"polluted":1}}}' : '{"n":1,"__proto__":{"polluted":1}}',
                        ),
                        code: 'STATEPROOF_FORBIDDEN_PROPERTY',
                        path: bad.deep ? '/m/__proto__' : '/__proto__',
                        req: r.notIJson,
                      }
                    : bad.kind === 'large' || bad.kind === 'over'
                      ? {
                          key: 'k',
                          value: bad.kind === 'over' ? bad.sized.value : { n: 1, s: 'x'.repeat(bad.bytes) },
                          code: 'STATEPROOF_VALUE_TOO_LARGE',
                          path: undefined,
                          req: r.tooLarge,
                        }
                      : {
                          key: 'k',
                          value: bad.value,
                          code: 'STATEPROOF_SCHEMA_VIOLATION',
                          path: bad.path,
                          req: r.schema,
                        };
            const got = await outcome(() => subject.write(fixture.rt, surface, attempt.key, attempt.value));
            expectModel(
              !got.ok && got.code === attempt.code,
              [attempt.req],
              () =>
                `${subject.name} with ${bad.kind === 'value' ? bad.label : bad.kind === 'over' ? describeSize(bad.sized) : show(attempt.value).slice(0, 60)} under ${show(attempt.key).slice(0, 30)} gave ${describeOutcome(got)}, expected ${attempt.code}`,
            );
            const path = (got as { error: { path?: string } }).error.path;
            if (attempt.path !== undefined)
              expectModel(
                path === attempt.path,
                [attempt.req],
                () => `${attempt.code} carries path ${show(path)}, expected ${show(attempt.path)}`,
              );
            const after = await subject.state(fixture.rt, surface);
            expectModel(
              show(after) === show(before),
              [r.nothingWritten ?? attempt.req],
              () => `a refused write changed the state from ${show(before)} to ${show(after)}`,
            );
            expectModel(
              ({} as Record<string, unknown>)['polluted'] === undefined,
              [r.notIJson],
              () => 'Object.prototype was polluted',
            );
          }
          const fit = await outcome(() => subject.write(fixture.rt, surface, 'k', fits.value));
          expectModel(
            fit.ok,
            [r.tooLarge],
            () =>
              `${subject.name} of ${describeSize(fits)} gave ${describeOutcome(fit)}; it fits, so it must be accepted`,
          );
        } finally {
          await fixture.close();
        }
      }),
  };
}
