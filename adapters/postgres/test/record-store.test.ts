import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@stateproof/core';
import { quoteIdentifier } from '@stateproof/adapter-postgres';
import { binding, PG_AVAILABLE, TestSchemas, withAdmin } from './pg-test-server.js';

const schemas = new TestSchemas();
afterAll(() => schemas.cleanup());

describe.skipIf(!PG_AVAILABLE)('postgres records', () => {
  it('keeps keys with quotes, wildcards and astral characters literal, in UTF-8 byte order', async () => {
    const a = await schemas.open();
    const store = await a.openRecord(binding('record'));
    const keys = ["o'k", '100%', 'a_b', 'a%b', '\\', '😀', '\uffff', 'é'];
    for (const k of keys) await store.put(k, k);
    expect((await store.list({ prefix: 'a_', limit: 10 })).entries.map((e) => e.key)).toEqual(['a_b']);
    expect((await store.list({ prefix: 'a%', limit: 10 })).entries.map((e) => e.key)).toEqual(['a%b']);
    expect((await store.list({ prefix: '', limit: 10 })).entries.map((e) => e.key)).toEqual([
      '100%',
      '\\',
      'a%b',
      'a_b',
      "o'k",
      'é',
      '\uffff',
      '😀',
    ]);
  });

  it('reclaims the rows of expired records now and then, without reusing a version', async () => {
    const clock = new ManualClock();
    const a = await schemas.open({ clock });
    const store = await a.openRecord(binding('record'));
    const first = await store.put('short', 'x', { ttlMs: 5 });
    clock.advance(10);
    for (let i = 0; i < 256; i++) await store.put(`k${i % 4}`, 'v');
    const rows = await withAdmin(
      async (c) =>
        (
          await c.query(
            `select count(*)::integer as n from ${quoteIdentifier(a.namespace)}.records where key = 'short'`,
          )
        ).rows[0]!.n,
    );
    expect(rows).toBe(0);
    expect((await store.put('short', 'y')).version).toBeGreaterThan(first.version);
  });

  it('prunes expired records in batches of at most the limit, leaving live ones and reusing no version', async () => {
    const clock = new ManualClock();
    const a = await schemas.open({ clock });
    const store = await a.openRecord(binding('record'));
    for (let i = 0; i < 7; i++) await store.put(`gone${i}`, 'x', { ttlMs: 5 });
    const kept = await store.put('kept', 'y', { ttlMs: 60_000 });
    await store.put('forever', 'z');
    expect(await store.prune!(10)).toBe(0);
    clock.advance(10);
    expect(await store.prune!(4)).toBe(4);
    expect(await store.prune!(4)).toBe(3);
    expect(await store.prune!(4)).toBe(0);
    const rows = await withAdmin(async (c) =>
      (await c.query(`select key from ${quoteIdentifier(a.namespace)}.records order by key`)).rows.map(
        (r: { key: string }) => r.key,
      ),
    );
    expect(rows).toEqual(['forever', 'kept']);
    expect((await store.get('kept'))?.version).toBe(kept.version);
    expect((await store.put('gone0', 'again')).version).toBeGreaterThan(kept.version);
  });
});
