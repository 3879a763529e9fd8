import { afterAll, describe, expect, it } from 'vitest';
import { compareKeys, compileGlob, type DataspaceStore } from '@stateproof/core/adapter-kit';
import type { RedisAdapter } from '@stateproof/adapter-redis';
import { connectionIdsNamed, withRedisAdmin } from '@stateproof/adapter-redis/conformance';
import { scopedSpace } from '@stateproof/core';
import { Reader } from './subscription-reader.js';
import { binding, REDIS_AVAILABLE, REDIS_URL, TestNamespaces } from './redis-test-server.js';

const spaces = new TestNamespaces();
afterAll(() => spaces.cleanup());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A second adapter instance on `adapter`'s namespace (as another process would open). */
async function peer(adapter: RedisAdapter, options: { pollIntervalMs?: number } = {}): Promise<RedisAdapter> {
  return spaces.open({ namespace: adapter.namespace, ...options });
}

async function dataspaceOf(adapter: RedisAdapter, surface = 'test.dataspace'): Promise<DataspaceStore> {
  // The binding's space is what separates surfaces: built by core from the scope and the surface id.
  const space = scopedSpace({ namespace: adapter.namespace, app: 'app', deployment: 'd1' }, 'app', surface);
  return adapter.openDataspace(binding('dataspace', adapter.namespace, { surfaceId: surface, space }));
}

describe.skipIf(!REDIS_AVAILABLE)('the redis dataspace store', () => {
  it('a session whose owner went away is reaped by another instance, its assertions retracted exactly once (reason expired)', async () => {
    const a = await spaces.open();
    const b = await peer(a);
    const dsA = await dataspaceOf(a);
    const dsB = await dataspaceOf(b);
    const watcher = new Reader(await dsB.subscribe({ type: 'all' }));
    expect(await watcher.next()).toMatchObject({ type: 'snapshot', revision: 0, assertions: [] });

    const doomed = await dsA.openSession('doomed', 150);
    const alive = await dsB.openSession('alive', 60_000);
    const x = await dsA.assert(doomed.session, 'x', '"1"');
    const y = await dsA.assert(doomed.session, 'y', '"2"');
    await dsB.assert(alive.session, 'mine', '"3"');
    await a.close(); // the owner's process goes away without closing its session
    await sleep(300);

    // Three reapers at once, on two instances: together they retract each assertion once.
    const c = await peer(b);
    const reports = await Promise.all([dsB.reap(), dsB.reap(), (await dataspaceOf(c)).reap()]);
    expect(reports.reduce((n, r) => n + r.expired, 0)).toBe(1);
    expect(reports.reduce((n, r) => n + r.retracted, 0)).toBe(2);
    expect(await dsB.reap()).toEqual({ expired: 0, retracted: 0 });

    const events = await watcher.drain(1000);
    const retractions = events.filter((e) => e.type === 'retracted');
    expect(retractions).toEqual([
      { type: 'retracted', revision: 4, id: 'x', session: doomed.session, owner: 'doomed', reason: 'expired' },
      { type: 'retracted', revision: 5, id: 'y', session: doomed.session, owner: 'doomed', reason: 'expired' },
    ]);
    expect(events.map((e) => e.type)).toEqual(['asserted', 'asserted', 'asserted', 'retracted', 'retracted']);
    expect([x.revision, y.revision]).toEqual([1, 2]);
    expect((await dsB.list({ type: 'all' })).assertions.map((e) => e.id)).toEqual(['mine']);

    // The dead session can do nothing, and closing it retracts nothing more.
    await expect(dsB.assert(doomed.session, 'z', '"4"')).rejects.toMatchObject({ code: 'STATEPROOF_SESSION_EXPIRED' });
    await expect(dsB.heartbeat(doomed.session, 1000)).rejects.toMatchObject({ code: 'STATEPROOF_SESSION_EXPIRED' });
    expect(await dsB.closeSession(doomed.session)).toEqual({ retracted: 0 });
    await expect(dsB.closeSession('no-such-session')).rejects.toMatchObject({ code: 'STATEPROOF_NOT_FOUND' });
    expect(await watcher.drain(200)).toEqual([]);
    await watcher.close();
  });

  it('an id held by an expired session is taken by reaping that session first, and another live owner is refused with nothing changed', async () => {
    const a = await spaces.open();
    const ds = await dataspaceOf(a);
    const short = await ds.openSession('short', 100);
    const other = await ds.openSession('other', 60_000);
    await ds.assert(short.session, 'k', '"short"');
    await ds.assert(short.session, 'j', '"short"');
    const before = await ds.list({ type: 'all' });
    await expect(ds.assert(other.session, 'k', '"other"')).rejects.toMatchObject({
      code: 'STATEPROOF_OWNERSHIP',
      details: { id: 'k', owner: 'short', session: short.session },
    });
    await expect(ds.retract(other.session, 'k')).rejects.toMatchObject({ code: 'STATEPROOF_OWNERSHIP' });
    expect(await ds.list({ type: 'all' })).toEqual(before);
    await sleep(200);
    // The assert reaps the dead owner (both its ids, as expired), then takes k.
    const { revision } = await ds.assert(other.session, 'k', '"other"');
    expect(revision).toBe(before.revision + 3);
    const after = await ds.list({ type: 'all' });
    expect(after.assertions.map((x) => `${x.id}:${x.owner}:${x.revision}`)).toEqual([`k:other:${revision}`]);
    expect(await ds.reap()).toEqual({ expired: 0, retracted: 0 });
  });

  it('a subscriber whose change log was trimmed past gets a resync, then a fresh snapshot, then the changes after it', async () => {
    const a = await spaces.open({ changeRetention: 3 });
    const ds = await dataspaceOf(a);
    const s = await ds.openSession('o', 60_000);
    const sub = new Reader(await ds.subscribe({ type: 'prefix', prefix: 'p:' }));
    expect(await sub.next()).toMatchObject({ type: 'snapshot', revision: 0 });
    const ids = ['p:1', 'p:2', 'p:3', 'p:4', 'p:5', 'p:6'];
    for (const id of ids) {
      const { revision } = await ds.assert(s.session, id, '"v"');
      // Read before the next change: the subscriber stays within the retention and gets every change.
      expect(await sub.next()).toMatchObject({ type: 'asserted', revision, assertion: { id } });
    }
    // Closing retracts six assertions in one script; the log keeps the newest three of them.
    expect(await ds.closeSession(s.session)).toEqual({ retracted: 6 });
    expect(await sub.next()).toEqual({ type: 'resync', reason: 'lagged' });
    expect(await sub.next()).toEqual({ type: 'snapshot', revision: 12, assertions: [] });
    const t = await ds.openSession('t', 60_000);
    expect(await ds.assert(t.session, 'p:7', '"w"')).toEqual({ revision: 13 });
    expect(await sub.next()).toMatchObject({ type: 'asserted', revision: 13, assertion: { id: 'p:7', owner: 't' } });
    expect(await sub.drain(200)).toEqual([]);
    await sub.close();
  });

  it('ids with { } * ? [ \\ : and astral characters match exactly what core says, and stay inside the namespace', async () => {
    const a = await spaces.open();
    const ds = await dataspaceOf(a);
    const neighbour = await dataspaceOf(a, 'test.dataspace-2');
    const s = await ds.openSession('o', 60_000);
    const ids = [
      'a',
      'a*',
      'a*b',
      'a?',
      'ab',
      'a[b]',
      'a\\b',
      'a:b',
      '{a}',
      '{a}:b',
      '}{',
      '%_',
      'é*',
      '😀?',
      'z'.repeat(400) + '{x}',
    ];
    for (const id of ids) await ds.assert(s.session, id, JSON.stringify(id));
    const sorted = [...ids].sort(compareKeys);
    const patterns = [
      '*',
      'a*',
      'a\\*',
      'a\\*b',
      'a?',
      'a\\?',
      'a[b]',
      'a\\\\b',
      '{*}',
      '{a}*',
      '}?',
      '*:b',
      '?*',
      '😀\\?',
      'é?',
      '%?',
    ];
    for (const pattern of patterns) {
      const matches = compileGlob(pattern);
      const got = (await ds.list({ type: 'glob', pattern })).assertions.map((x) => x.id);
      expect(got, `glob ${pattern}`).toEqual(sorted.filter(matches));
    }
    for (const prefix of ['a', 'a*', 'a[', '{', '{a}', '}', 'a\\', '%', 'é', '😀', 'zz']) {
      const got = (await ds.list({ type: 'prefix', prefix })).assertions.map((x) => x.id);
      expect(got, `prefix ${prefix}`).toEqual(sorted.filter((id) => id.startsWith(prefix)));
    }
    expect((await ds.list({ type: 'all' })).assertions.map((x) => x.id)).toEqual(sorted);
    for (const id of ids) expect((await ds.get(id))?.value).toBe(JSON.stringify(id));
    expect(await ds.get('a*x')).toBeNull();
    // Another surface of the same namespace sees none of it.
    expect((await neighbour.list({ type: 'all' })).assertions).toEqual([]);
    // Every key the adapter wrote starts with the namespace's hash tag, which is what Cluster hashes
    // (the first {…} of the key), whatever braces an id holds; each id has its assertion hash.
    await withRedisAdmin(REDIS_URL, async (client) => {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [c, batch] = await client.scan(cursor, 'MATCH', `${a.ns.tag}*`, 'COUNT', 1000);
        cursor = c;
        keys.push(...batch);
      } while (cursor !== '0');
      const tag = a.ns.tag.slice(1, -1);
      for (const k of keys) expect(k.slice(k.indexOf('{') + 1, k.indexOf('}'))).toBe(tag);
      const assertionKeys = keys.filter((k) => k.includes('ds:a\u001f'));
      expect(assertionKeys.map((k) => k.slice(k.indexOf('ds:a\u001f') + 5)).sort(compareKeys)).toEqual(sorted);
    });
  });

  it('a subscriber on another instance is woken by the hint, and misses nothing while its pub/sub connection is down', async () => {
    const writer = await spaces.open();
    // Polling once a minute: within the test's timeouts only the PUBLISH hint can deliver.
    const reader = await peer(writer, { pollIntervalMs: 60_000 });
    const ds = await dataspaceOf(writer);
    const sub = new Reader(await (await dataspaceOf(reader)).subscribe({ type: 'exact', id: 'k' }));
    expect(await sub.next()).toMatchObject({ type: 'snapshot', assertions: [] });
    const s = await ds.openSession('o', 60_000);
    const pending = sub.next(3000);
    await ds.assert(s.session, 'k', '"1"');
    expect(await pending).toMatchObject({ type: 'asserted', assertion: { id: 'k', value: '"1"' } });

    await withRedisAdmin(REDIS_URL, async (client) => {
      const ids = await connectionIdsNamed(client, reader.connectionName('sub'));
      expect(ids).toHaveLength(1);
      for (const id of ids) await client.client('KILL', 'ID', id);
    });
    // Changes made while it is down are in the log; the reconnection wakes the pump, which reads them.
    await ds.assert(s.session, 'k', '"2"');
    await ds.assert(s.session, 'other', '"x"');
    await ds.retract(s.session, 'k');
    const events = [await sub.next(), await sub.next()];
    expect(events).toMatchObject([
      { type: 'asserted', assertion: { value: '"2"' } },
      { type: 'retracted', id: 'k', reason: 'retracted' },
    ]);
    expect(reader.subscriber.reconnects).toBe(1);
    await sub.close();
    expect(await sub.next()).toBe('done');
  });
});
