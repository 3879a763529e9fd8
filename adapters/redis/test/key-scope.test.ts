import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { scopedSpace, type RecordStore } from '@stateproof/core';
import { compareKeys } from '@stateproof/core/adapter-kit';
import { namespaceTag } from '@stateproof/adapter-redis';
import { withRedisAdmin } from '@stateproof/adapter-redis/conformance';
import { freshNamespace, REDIS_AVAILABLE, REDIS_URL, TestNamespaces } from './redis-test-server.js';

/** The hash tag Redis Cluster hashes for `key`: between the first `{` and the next `}`, when not empty (cluster spec). */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  if (open < 0) return key;
  const close = key.indexOf('}', open + 1);
  if (close < 0 || close === open + 1) return key;
  return key.slice(open + 1, close);
}

const CHARS = ['{', '}', '*', '?', '[', ']', '\\', ':', '%', 'a', 'é', '😀'];
const keyArb = fc.oneof(
  { weight: 9, arbitrary: fc.string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: 8 }) },
  // 512 UTF-8 bytes, the longest key there is, with braces inside.
  { weight: 1, arbitrary: fc.constantFrom('😀'.repeat(128), `{${'é'.repeat(254)}}`, `a}${'😀'.repeat(127)}{`) },
);

describe.skipIf(!REDIS_AVAILABLE)('Redis keys never leave their namespace, whatever the characters of a key', () => {
  const spaces = new TestNamespaces();
  afterAll(() => spaces.cleanup());

  it('holds for braces, wildcards, backslashes, colons and 512-byte Unicode (property)', async () => {
    // Namespaces and surfaces that differ only by the characters a naive layout would mix up.
    const base = freshNamespace('sp-scope');
    const nsA = `${base}{x}`;
    const nsB = `${base}{x}:a`;
    const a = await spaces.open({ namespace: nsA });
    const b = await spaces.open({ namespace: nsB });
    const open = (adapter: typeof a, ns: string, surface: string): Promise<RecordStore> =>
      adapter.openRecord({
        surfaceId: surface,
        kind: 'record',
        class: 'shared-durable',
        space: scopedSpace({ namespace: ns, app: 'app}', deployment: 'd' }, 'app', surface),
      });
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(keyArb, { minLength: 1, maxLength: 6 }), keyArb, async (keys, probe) => {
        round++;
        const s1 = await open(a, nsA, `r{${round}}`);
        const s2 = await open(a, nsA, `r{${round}}:`);
        const other = await open(b, nsB, `r{${round}}`);
        for (const k of keys) await s1.put(k, JSON.stringify(k));
        // A key no generated key can equal (no 'b' or '-' in the alphabet), written in the other namespace.
        await other.put('b-only', '"b"');
        expect(await s1.get('b-only')).toBeNull();
        // Nothing is seen from another surface or namespace, by key or by listing.
        for (const k of [...keys, probe]) {
          expect(await s2.get(k)).toBeNull();
          expect(await other.get(k)).toBeNull();
        }
        expect((await s2.list({ prefix: '', limit: 100 })).entries).toEqual([]);
        expect((await other.list({ prefix: '', limit: 100 })).entries.map((e) => e.key)).toEqual(['b-only']);
        // A prefix is literal: `*`, `?`, `[` and `\` match only themselves.
        for (const prefix of [probe, ...keys.map((k) => Array.from(k).slice(0, 2).join(''))]) {
          const listed = (await s1.list({ prefix, limit: 100 })).entries.map((e) => e.key);
          expect(listed, `prefix ${JSON.stringify(prefix)}`).toEqual(
            keys.filter((k) => k.startsWith(prefix)).sort(compareKeys),
          );
        }
      }),
      { numRuns: 40, seed: 20261207 },
    );
    // On the server: every key of namespace A hashes to A's tag (one Cluster slot), none to B's, and back.
    const tags = await withRedisAdmin(REDIS_URL, async (c) => {
      const out = new Map<string, Set<string>>();
      for (const ns of [nsA, nsB]) {
        const found = new Set<string>();
        let cursor = '0';
        do {
          const [next, batch] = await c.scan(cursor, 'MATCH', `${namespaceTag(ns)}*`, 'COUNT', 1000);
          cursor = next;
          for (const k of batch) found.add(hashTag(k));
        } while (cursor !== '0');
        out.set(ns, found);
      }
      return out;
    });
    expect([...tags.get(nsA)!]).toEqual([namespaceTag(nsA).slice(1, -1)]);
    expect([...tags.get(nsB)!]).toEqual([namespaceTag(nsB).slice(1, -1)]);
    expect(namespaceTag(nsA)).not.toBe(namespaceTag(nsB));
  }, 120_000);
});
