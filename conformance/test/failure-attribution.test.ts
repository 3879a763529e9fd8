import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, record, type Adapter, type RecordStore, type RecordSurface } from '@stateproof/core';
import { memoryTarget } from '@stateproof/adapter-memory/conformance';
import { Type } from '@sinclair/typebox';
import { ALL_PROPERTIES, runConformance, type ConformanceTarget, type PropertySpec } from '@stateproof/conformance';

// An error a store operation throws that the property did not expect is charged to the requirement
// of that operation, with the error's code, not to the requirements of the property that called it.
const SEED = 20261203;
const KEY_ISOLATION = ALL_PROPERTIES.filter((p) => p.name === 'record/key-isolation');

/** The memory adapter whose record stores fail one operation with `error()`. */
function failing(operation: keyof RecordStore, error: () => Error): ConformanceTarget {
  const inner = memoryTarget();
  return {
    ...inner,
    name: `memory (record ${operation} fails)`,
    async create(options) {
      const adapter = await inner.create(options);
      return new Proxy(adapter, {
        get(target, property) {
          const value: unknown = Reflect.get(target, property, target);
          if (property !== 'openRecord') return typeof value === 'function' ? value.bind(target) : value;
          return async (...args: Parameters<NonNullable<Adapter['openRecord']>>) => {
            const store = await target.openRecord!(...args);
            return new Proxy(store, {
              get(s, p) {
                const v: unknown = Reflect.get(s, p, s);
                if (p === operation) return async () => Promise.reject(error());
                return typeof v === 'function' ? v.bind(s) : v;
              },
            });
          };
        },
      });
    },
  };
}

/** A server error as a MariaDB driver throws it for an astral character in a utf8 (3-byte) column. */
const serverError = () =>
  Object.assign(new Error("Incorrect string value: '\\xF0\\x9F\\x98\\x80' for column 'value' at row 1"), {
    code: 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD',
  });

async function run(target: ConformanceTarget, properties: readonly PropertySpec[] = KEY_ISOLATION) {
  const report = await runConformance({ target, properties, runs: 10, seed: SEED, shrinkTimeMs: 500 });
  const [outcome] = report.outcomes;
  return { report, outcome };
}

describe('failures attributed to the operation that broke', () => {
  it('a put refused by the server fails REC-002 (and REC-009), with the code, not REC-013 or REC-029', async () => {
    const { report, outcome } = await run(failing('put', serverError));
    expect(outcome?.status).toBe('fail');
    expect(outcome?.failedRequirements).toEqual(['REC-002', 'REC-009']);
    expect(outcome?.reason).toMatch(
      /^\[REC-002, REC-009\] record\.put failed unexpectedly with ER_TRUNCATED_WRONG_VALUE_FOR_FIELD: Incorrect string value/,
    );
    const status = (id: string) => report.requirements.find((r) => r.id === id)?.status;
    expect([status('REC-002'), status('REC-009'), status('REC-013'), status('REC-029')]).toEqual([
      'fail',
      'fail',
      'skip',
      'skip',
    ]);
    expect(report.requirements.find((r) => r.id === 'REC-002')?.reason).toContain(
      'record/key-isolation [ephemeral]: [REC-002, REC-009] record.put failed unexpectedly with ER_TRUNCATED',
    );
  });

  it('a list that fails with a stateproof code is charged to REC-013 alone', async () => {
    const { outcome } = await run(failing('list', () => new BackendUnavailableError('connection reset by peer')));
    expect(outcome?.failedRequirements).toEqual(['REC-013']);
    expect(outcome?.reason).toMatch(
      /^\[REC-013\] record\.list failed unexpectedly with STATEPROOF_BACKEND_UNAVAILABLE: /,
    );
  });

  it('an error the property expects and compares with its model is left alone', async () => {
    // The property catches the refused put itself: nothing escapes, so nothing is attributed.
    const expecting: PropertySpec = {
      name: 'record/expects-refusal',
      kind: 'record',
      requirements: ['REC-027'],
      property: (env) =>
        fc.asyncProperty(fc.constant(0), async () => {
          const fixture = await env.fixtures.open((registry) => [
            record('conformance.refusal', {
              durability: env.cls,
              value: Type.String(),
              registry,
            }) as RecordSurface<string>,
          ]);
          try {
            const error = await fixture.rt
              .use(fixture.surfaces[0])
              .put('k', 'v')
              .then(
                () => undefined,
                (e: unknown) => e,
              );
            expect(error).toMatchObject({ code: 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD' });
          } finally {
            await fixture.close();
          }
        }),
    };
    const { outcome } = await run(failing('put', serverError), [expecting]);
    expect(outcome?.status).toBe('pass');
  });

  it('an error no store operation raised is still charged to the property', async () => {
    const broken: PropertySpec = {
      name: 'record/broken-itself',
      kind: 'record',
      requirements: ['REC-027'],
      property: () =>
        fc.asyncProperty(fc.constant(0), async () => {
          throw new Error('a bug in the property');
        }),
    };
    const { outcome } = await run(memoryTarget(), [broken]);
    expect([outcome?.failedRequirements, outcome?.reason]).toEqual([['REC-027'], 'a bug in the property']);
  });

  it('the memory adapter still passes record/key-isolation and record/model through the traced stores', async () => {
    const properties = ALL_PROPERTIES.filter((p) => ['record/key-isolation', 'record/model'].includes(p.name));
    const report = await runConformance({ target: memoryTarget(), properties, runs: 30, seed: SEED });
    expect(report.outcomes.map((o) => [o.name, o.status, o.reason])).toEqual(
      properties.flatMap((p) =>
        report.outcomes.filter((o) => o.name === p.name).map(() => [p.name, 'pass', undefined]),
      ),
    );
    expect(report.outcomes.length).toBeGreaterThanOrEqual(2);
  });
});
