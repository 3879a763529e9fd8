import { describe, expect, it } from 'vitest';
import { binding, setup } from './binding.js';

async function records(overrides = {}) {
  const { adapter, clock } = setup();
  return { store: await adapter.openRecord(binding('record', overrides)), clock, adapter };
}

describe('memory record store', () => {
  it('puts and gets with strictly increasing versions', async () => {
    const { store } = await records();
    const a = await store.put('k', 'v1');
    const b = await store.put('k', 'v2');
    expect(b.version).toBeGreaterThan(a.version);
    expect(await store.get('k')).toEqual({ key: 'k', value: 'v2', version: b.version, expiresAt: null });
    expect(await store.get('other')).toBeNull();
  });

  it('never reuses a version after delete and re-create', async () => {
    const { store } = await records();
    const seen = new Set<number>();
    for (let i = 0; i < 5; i++) {
      const { version } = await store.put('k', `v${i}`);
      expect(seen.has(version)).toBe(false);
      seen.add(version);
      expect(await store.delete('k')).toBe(true);
    }
    expect(Math.min(...seen)).toBeGreaterThan(0);
  });

  it('compare-and-sets on ifVersion and ifAbsent, conflicts carrying the current version', async () => {
    const { store } = await records();
    const first = await store.put('k', 'a', { ifAbsent: true });
    await expect(store.put('k', 'b', { ifAbsent: true })).rejects.toMatchObject({
      code: 'STATEPROOF_VERSION_CONFLICT',
      current: first.version,
    });
    const second = await store.put('k', 'b', { ifVersion: first.version });
    await expect(store.put('k', 'c', { ifVersion: first.version })).rejects.toMatchObject({
      code: 'STATEPROOF_VERSION_CONFLICT',
      current: second.version,
    });
    await expect(store.put('nope', 'c', { ifVersion: 1 })).rejects.toMatchObject({ current: null });
    expect((await store.get('k'))?.value).toBe('b');
  });

  it('deletes with compare-and-set', async () => {
    const { store } = await records();
    const { version } = await store.put('k', 'a');
    await expect(store.delete('k', { ifVersion: version + 1 })).rejects.toMatchObject({
      code: 'STATEPROOF_VERSION_CONFLICT',
      current: version,
    });
    expect(await store.delete('k', { ifVersion: version })).toBe(true);
    expect(await store.delete('k')).toBe(false);
    await expect(store.delete('k', { ifVersion: version })).rejects.toMatchObject({ current: null });
  });

  it('hides expired records from every operation, from the injected clock', async () => {
    const { store, clock } = await records();
    const { version, expiresAt } = await store.put('k', 'a', { ttlMs: 100 });
    expect(expiresAt).toBe(clock.now() + 100);
    clock.advance(99);
    expect((await store.get('k'))?.value).toBe('a');
    clock.advance(1);
    expect(await store.get('k')).toBeNull();
    expect((await store.list({ prefix: '', limit: 10 })).entries).toEqual([]);
    expect(await store.delete('k')).toBe(false);
    await expect(store.put('k', 'b', { ifVersion: version })).rejects.toMatchObject({ current: null });
    expect((await store.put('k', 'b', { ifAbsent: true })).version).toBeGreaterThan(version);
  });

  it('applies the surface default TTL to writes without one', async () => {
    const { store, clock } = await records({ ttlMs: 50 });
    expect((await store.put('k', 'a')).expiresAt).toBe(clock.now() + 50);
    expect((await store.put('j', 'a', { ttlMs: 500 })).expiresAt).toBe(clock.now() + 500);
    clock.advance(60);
    expect(await store.get('k')).toBeNull();
    expect(await store.get('j')).not.toBeNull();
  });

  it('lists by literal prefix in UTF-8 byte order, with keyset pages', async () => {
    const { store } = await records();
    const keys = ['b', 'a%', 'a_', 'a*', 'a', '\uffff', '😀', 'é', 'ab'];
    for (const k of keys) await store.put(k, k);
    const all = (await store.list({ prefix: '', limit: 100 })).entries.map((e) => e.key);
    expect(all).toEqual([...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    expect(all.indexOf('\uffff')).toBeLessThan(all.indexOf('😀'));
    expect((await store.list({ prefix: 'a%', limit: 10 })).entries.map((e) => e.key)).toEqual(['a%']);
    expect((await store.list({ prefix: 'a_', limit: 10 })).entries.map((e) => e.key)).toEqual(['a_']);
    const page1 = await store.list({ prefix: 'a', limit: 2 });
    expect(page1.more).toBe(true);
    const page2 = await store.list({ prefix: 'a', limit: 10, after: page1.entries[1]?.key as string });
    expect(page2.more).toBe(false);
    expect([...page1.entries, ...page2.entries].map((e) => e.key)).toEqual(['a', 'a%', 'a*', 'a_', 'ab']);
  });

  it('neither skips nor repeats unchanged keys when others write between pages', async () => {
    const { store } = await records();
    for (const k of ['a', 'c', 'e', 'g', 'i']) await store.put(k, k);
    const p1 = await store.list({ prefix: '', limit: 2 });
    await store.put('b', 'new');
    await store.delete('e');
    await store.put('a', 'changed');
    await store.put('h', 'new');
    const p2 = await store.list({ prefix: '', limit: 100, after: p1.entries[1]?.key as string });
    const walk = [...p1.entries, ...p2.entries].map((e) => e.key);
    expect(new Set(walk).size).toBe(walk.length);
    for (const unchanged of ['c', 'g', 'i']) expect(walk.filter((k) => k === unchanged)).toHaveLength(1);
  });

  it('refuses a TTL (through the core guard) when the adapter does not claim TTLs', async () => {
    const { MEMORY_CAPABILITIES } = await import('@stateproof/adapter-memory');
    const { guardAdapter } = await import('@stateproof/core/adapter-kit');
    const { adapter } = setup();
    const record = MEMORY_CAPABILITIES.kinds.record!;
    const withoutTtl = { ...record, features: { ...record.features, ttl: false } };
    const capabilities = { ...MEMORY_CAPABILITIES, kinds: { ...MEMORY_CAPABILITIES.kinds, record: withoutTtl } };
    const unclaimed = Object.assign(Object.create(adapter) as typeof adapter, { capabilities });
    const store = await guardAdapter(unclaimed).openRecord(binding('record'));
    await expect(store.put('k', 'v', { ttlMs: 5 })).rejects.toMatchObject({ code: 'STATEPROOF_UNSUPPORTED' });
    expect(await store.get('k')).toBeNull();
  });

  it('keeps spaces and namespaces apart', async () => {
    const { adapter, backend } = setup();
    const a = await adapter.openRecord(binding('record'));
    const b = await adapter.openRecord(binding('record', { space: 'sp1:test:a:app:other:' }));
    const other = await setup({ backend, namespace: 'elsewhere' }).adapter.openRecord(binding('record'));
    await a.put('k', 'a');
    expect(await b.get('k')).toBeNull();
    expect(await other.get('k')).toBeNull();
    const sameSpace = await setup({ backend }).adapter.openRecord(binding('record'));
    expect((await sameSpace.get('k'))?.value).toBe('a');
  });

  it('prunes expired records in batches of at most the limit, leaving live ones and reusing no version', async () => {
    const { store, clock } = await records();
    for (let i = 0; i < 7; i++) await store.put(`gone${i}`, 'x', { ttlMs: 5 });
    const kept = await store.put('kept', 'y', { ttlMs: 60_000 });
    await store.put('forever', 'z');
    expect(await store.prune!(10)).toBe(0);
    clock.advance(10);
    expect(await store.prune!(4)).toBe(4);
    expect(await store.prune!(4)).toBe(3);
    expect(await store.prune!(4)).toBe(0);
    expect((await store.list({ prefix: '', limit: 10 })).entries.map((e) => e.key)).toEqual(['forever', 'kept']);
    expect((await store.put('gone0', 'again')).version).toBeGreaterThan(kept.version);
  });
});
