import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { channel, claim, createRegistry, dataspace, DEFAULT_RETRY, log, queue, record } from '@stateproof/core';

const registry = () => createRegistry();
const Value = Type.Object({ n: Type.Number() });

function errorOf(fn: () => unknown): { code: string; path: string | undefined; message: string } {
  try {
    fn();
  } catch (e) {
    const err = e as { code: string; path: string | undefined; message: string };
    return { code: err.code, path: err.path, message: err.message };
  }
  throw new Error('expected an error');
}

describe('definition functions', () => {
  it('define each kind with a normalised definition', () => {
    const r = registry();
    const rec = record('orders.by-id', {
      durability: 'shared-durable',
      value: Value,
      ttlMs: 1000,
      owner: 'orders',
      registry: r,
    });
    expect(rec.kind).toBe('record');
    expect(rec.definition).toMatchObject({
      id: 'orders.by-id',
      kind: 'record',
      class: 'shared-durable',
      scope: 'app',
      schemaVersion: 1,
      bounds: { maxValueBytes: 1_048_576, ttlMs: 1000 },
      options: {},
      owner: 'orders',
    });
    expect(rec.definition.schemas.value).toEqual({
      type: 'object',
      properties: { n: { type: 'number' } },
      required: ['n'],
    });
    const q = queue('jobs', { durability: 'shared-durable', payload: Value, retry: { maxAttempts: 5 }, registry: r });
    expect(q.definition.options).toEqual({
      leaseMs: 30_000,
      retry: { ...DEFAULT_RETRY, maxAttempts: 5 },
      concurrency: {},
    });
    expect(q.definition.bounds.attemptHistory).toBe(20);
    const l = log('events', { durability: 'telemetry', value: Value, retention: { maxEntries: 256 }, registry: r });
    expect(l.definition.bounds).toEqual({ maxValueBytes: 1_048_576, maxEntries: 256 });
    expect(
      claim('effects', { durability: 'shared-durable', result: Value, leaseMs: 5000, registry: r }).definition.options,
    ).toEqual({ leaseMs: 5000 });
    expect(dataspace('routes', { durability: 'ephemeral', value: Value, registry: r }).definition.options).toEqual({
      leaseMs: 30_000,
    });
    expect(
      channel('fanout', { durability: 'ephemeral', message: Value, registry: r }).definition.schemas,
    ).toHaveProperty('message');
    expect(r.list().map((s) => s.id)).toEqual(['effects', 'events', 'fanout', 'jobs', 'orders.by-id', 'routes']);
  });

  it('record the caller location', () => {
    const rec = record('located', { durability: 'ephemeral', value: Value, registry: registry() });
    expect(rec.definition.location?.file).toBe('packages/core/test/define-surface.test.ts');
    expect(rec.definition.location?.line).toBeGreaterThan(1);
  });

  it.each([
    ['', 'STATEPROOF_INVALID_ID', 'id'],
    ['bad\u0000id', 'STATEPROOF_INVALID_ID', 'id'],
    ['tab\tid', 'STATEPROOF_INVALID_ID', 'id'],
    ['c1\u0085id', 'STATEPROOF_INVALID_ID', 'id'],
    ['x'.repeat(513), 'STATEPROOF_INVALID_ID', 'id'],
    ['é'.repeat(257), 'STATEPROOF_INVALID_ID', 'id'],
    ['\ud800lone', 'STATEPROOF_INVALID_ID', 'id'],
  ])('reject the id %j', (id, code, path) => {
    expect(errorOf(() => record(id, { durability: 'ephemeral', value: Value, registry: registry() }))).toMatchObject({
      code,
      path,
    });
  });

  it('accept an id of exactly 512 bytes', () => {
    expect(record('é'.repeat(256), { durability: 'ephemeral', value: Value, registry: registry() }).id).toHaveLength(
      256,
    );
  });

  it('reject a non-string id', () => {
    expect(
      errorOf(() => record(42 as unknown as string, { durability: 'ephemeral', value: Value, registry: registry() })),
    ).toMatchObject({ code: 'STATEPROOF_INVALID_ID' });
  });

  const bad: Array<[string, () => unknown, string, string]> = [
    ['no options', () => record('a', undefined as never), 'STATEPROOF_INVALID_OPTIONS', ''],
    [
      'unknown option',
      () => record('a', { durability: 'ephemeral', value: Value, ttl: 5, registry: registry() } as never),
      'STATEPROOF_INVALID_OPTIONS',
      'ttl',
    ],
    [
      'missing durability',
      () => record('a', { value: Value, registry: registry() } as never),
      'STATEPROOF_INVALID_OPTIONS',
      'durability',
    ],
    [
      'unknown durability',
      () => record('a', { durability: 'forever', value: Value, registry: registry() } as never),
      'STATEPROOF_INVALID_OPTIONS',
      'durability',
    ],
    [
      'missing value schema',
      () => record('a', { durability: 'ephemeral', registry: registry() } as never),
      'STATEPROOF_INVALID_OPTIONS',
      'value',
    ],
    [
      'schema not an object',
      () => record('a', { durability: 'ephemeral', value: 'string', registry: registry() } as never),
      'STATEPROOF_INVALID_SCHEMA',
      'value',
    ],
    [
      'schema that does not compile',
      () => record('a', { durability: 'ephemeral', value: { type: 'strng' }, registry: registry() } as never),
      'STATEPROOF_INVALID_SCHEMA',
      'value',
    ],
    [
      'schema with an unknown keyword',
      () =>
        record('a', {
          durability: 'ephemeral',
          value: { type: 'string', maxLenght: 3 },
          registry: registry(),
        } as never),
      'STATEPROOF_INVALID_SCHEMA',
      'value',
    ],
    [
      'negative ttl',
      () => record('a', { durability: 'ephemeral', value: Value, ttlMs: -1, registry: registry() }),
      'STATEPROOF_INVALID_OPTIONS',
      'ttlMs',
    ],
    [
      'fractional ttl',
      () => record('a', { durability: 'ephemeral', value: Value, ttlMs: 1.5, registry: registry() }),
      'STATEPROOF_INVALID_OPTIONS',
      'ttlMs',
    ],
    [
      'NaN maxValueBytes',
      () => record('a', { durability: 'ephemeral', value: Value, maxValueBytes: Number.NaN, registry: registry() }),
      'STATEPROOF_INVALID_OPTIONS',
      'maxValueBytes',
    ],
    [
      'bad scope',
      () => record('a', { durability: 'ephemeral', value: Value, scope: 'global', registry: registry() } as never),
      'STATEPROOF_INVALID_OPTIONS',
      'scope',
    ],
    [
      'zero schemaVersion',
      () => record('a', { durability: 'ephemeral', value: Value, schemaVersion: 0, registry: registry() }),
      'STATEPROOF_INVALID_OPTIONS',
      'schemaVersion',
    ],
    [
      'empty owner',
      () => record('a', { durability: 'ephemeral', value: Value, owner: ' ', registry: registry() }),
      'STATEPROOF_INVALID_OPTIONS',
      'owner',
    ],
    [
      'channel that claims durability',
      () => channel('a', { durability: 'shared-durable', message: Value, registry: registry() }),
      'STATEPROOF_CLASS_NOT_ALLOWED',
      'durability',
    ],
    [
      'telemetry queue',
      () => queue('a', { durability: 'telemetry', payload: Value, registry: registry() }),
      'STATEPROOF_CLASS_NOT_ALLOWED',
      'durability',
    ],
    [
      'unbounded telemetry log',
      () => log('a', { durability: 'telemetry', value: Value, registry: registry() }),
      'STATEPROOF_INVALID_OPTIONS',
      'retention',
    ],
    [
      'retention with a typo',
      () => log('a', { durability: 'ephemeral', value: Value, retention: { max: 3 }, registry: registry() } as never),
      'STATEPROOF_INVALID_OPTIONS',
      'retention.max',
    ],
    [
      'projection without source',
      () => record('a', { durability: 'derived-projection', value: Value, registry: registry() }),
      'STATEPROOF_INVALID_OPTIONS',
      'source',
    ],
    [
      'source on a non-projection',
      () => record('a', { durability: 'shared-durable', value: Value, source: 'b', registry: registry() }),
      'STATEPROOF_INVALID_OPTIONS',
      'source',
    ],
    [
      'retry with zero attempts',
      () => queue('a', { durability: 'ephemeral', payload: Value, retry: { maxAttempts: 0 }, registry: registry() }),
      'STATEPROOF_INVALID_OPTIONS',
      'retry.maxAttempts',
    ],
    [
      'jitter above 1',
      () => queue('a', { durability: 'ephemeral', payload: Value, retry: { jitter: 2 }, registry: registry() }),
      'STATEPROOF_INVALID_OPTIONS',
      'retry.jitter',
    ],
    [
      'concurrency not an object',
      () => queue('a', { durability: 'ephemeral', payload: Value, concurrency: 3, registry: registry() } as never),
      'STATEPROOF_INVALID_OPTIONS',
      'concurrency',
    ],
    [
      'queue option on a record',
      () => record('a', { durability: 'ephemeral', value: Value, leaseMs: 5, registry: registry() } as never),
      'STATEPROOF_INVALID_OPTIONS',
      'leaseMs',
    ],
    [
      'registry that is not one',
      () => record('a', { durability: 'ephemeral', value: Value, registry: {} } as never),
      'STATEPROOF_INVALID_OPTIONS',
      'registry',
    ],
  ];
  it.each(bad)('reject %s with a typed error and its path', (_name, fn, code, path) => {
    expect(errorOf(fn)).toMatchObject({ code, path });
  });

  it('register nothing when a definition is refused', () => {
    const r = registry();
    expect(() => record('a', { durability: 'ephemeral', value: Value, ttlMs: 0, registry: r })).toThrow();
    expect(r.list()).toEqual([]);
  });

  it('accept a projection with a source, and an external source', () => {
    const r = registry();
    expect(
      record('p', { durability: 'derived-projection', value: Value, source: 'orders.by-id', registry: r }).definition
        .source,
    ).toBe('orders.by-id');
    expect(
      log('q', { durability: 'derived-projection', value: Value, source: 'external:billing-db', registry: r })
        .definition.source,
    ).toBe('external:billing-db');
  });
});
