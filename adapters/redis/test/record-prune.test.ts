import { afterAll, describe, expect, it } from 'vitest';
import { surfaceBase } from '@stateproof/adapter-redis';
import { withRedisAdmin } from '@stateproof/adapter-redis/conformance';
import { binding, REDIS_AVAILABLE, REDIS_URL, TestNamespaces } from './redis-test-server.js';

const spaces = new TestNamespaces();
afterAll(() => spaces.cleanup());

describe.skipIf(!REDIS_AVAILABLE)('redis record retention', () => {
  it('prunes expired records from the index in batches of at most the limit, leaving live ones', async () => {
    const clock = { t: Date.UTC(2030, 0, 1), now: () => clock.t };
    const adapter = await spaces.open({ clock });
    const b = binding('record', adapter.namespace);
    const store = await adapter.openRecord(b);
    for (let i = 0; i < 7; i++) await store.put(`gone${i}`, 'x', { ttlMs: 5 });
    const kept = await store.put('kept', 'y', { ttlMs: 60_000 });
    await store.put('forever', 'z');
    expect(await store.prune!(10)).toBe(0);
    clock.t += 10;
    expect(await store.prune!(4)).toBe(4);
    expect(await store.prune!(4)).toBe(3);
    expect(await store.prune!(4)).toBe(0);
    const base = surfaceBase(b.space, adapter.namespace);
    const indexed = await withRedisAdmin(REDIS_URL, async (c) => {
      const keys = await c.keys(`${base}*`);
      const index = keys.find((k) => k.endsWith('ri'));
      return index ? await c.zrange(index, 0, -1) : [];
    });
    expect(indexed).toEqual(['forever', 'kept']);
    expect((await store.get('kept'))?.version).toBe(kept.version);
    expect((await store.put('gone0', 'again')).version).toBeGreaterThan(kept.version);
  });
});
