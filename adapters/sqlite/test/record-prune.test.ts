import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@stateproof/core';
import { sqliteAdapter } from '@stateproof/adapter-sqlite';
import { binding } from './support/binding.js';
import { tempDir } from './support/temp-db.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('sqlite record retention', () => {
  it('prunes expired records in batches of at most the limit, leaving live ones and reusing no version', async () => {
    const clock = new ManualClock(1_000_000);
    const a = sqliteAdapter({ path: tmp.file(), namespace: 'app', clock });
    try {
      const store = await a.openRecord(binding('record'));
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
    } finally {
      await a.close();
    }
  });
});
