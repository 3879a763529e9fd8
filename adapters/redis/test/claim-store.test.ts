import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { surfaceBase, type RedisAdapter } from '@stateproof/adapter-redis';
import { withRedisAdmin, type RedisServer } from '@stateproof/adapter-redis/conformance';
import type { ClaimStore } from '@stateproof/core/adapter-kit';
import {
  binding,
  durableServer,
  OWN_SERVER_AVAILABLE,
  REDIS_AVAILABLE,
  REDIS_URL,
  TestNamespaces,
} from './redis-test-server.js';

const spaces = new TestNamespaces();
afterAll(() => spaces.cleanup());

/** A clock the test sets, backwards too (the server's clock can be stepped back; the manual clock cannot). */
function settableClock(start = Date.UTC(2030, 0, 1)) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

async function openClaims(adapter: RedisAdapter): Promise<{ store: ClaimStore; hash: (key: string) => string }> {
  const b = binding('claim', adapter.namespace);
  const base = surfaceBase(b.space, adapter.namespace);
  return { store: await adapter.openClaim(b), hash: (key) => `${base}c\u001f${key}` };
}

const admin = <T>(fn: (c: Redis) => Promise<T>, url = REDIS_URL) => withRedisAdmin(url, fn);

async function failure(p: Promise<unknown>): Promise<{ code?: string; message?: string }> {
  try {
    await p;
  } catch (error) {
    return error as { code?: string };
  }
  throw new Error('expected a failure');
}

function token(r: Awaited<ReturnType<ClaimStore['acquire']>>): number {
  if (r.status !== 'acquired') throw new Error(`expected acquired, got ${JSON.stringify(r)}`);
  return r.token;
}

describe.skipIf(!REDIS_AVAILABLE)('the redis claim store', () => {
  it('keeps tokens growing across release, takeover and completion, and freezes a completed claim', async () => {
    const clock = settableClock();
    const adapter = await spaces.open({ clock });
    const { store, hash } = await openClaims(adapter);
    const t1 = token(await store.acquire('k', 'a', 100));
    await store.release('k', t1);
    // The release keeps the token in the hash: the next acquisition counts on from it.
    expect(await admin((c) => c.hmget(hash('k'), 's', 'n', 'h'))).toEqual(['released', String(t1), null]);
    const again = await store.acquire('k', 'b', 100);
    expect(again).toMatchObject({ status: 'acquired', takeover: false });
    const t2 = token(again);
    clock.t += 100;
    const taken = await store.acquire('k', 'c', 100);
    expect(taken).toMatchObject({ status: 'acquired', takeover: true });
    const t3 = token(taken);
    expect(t1 < t2 && t2 < t3).toBe(true);
    await store.complete('k', t3, '"done"');
    const frozen = await admin((c) => c.hgetall(hash('k')));
    clock.t += 1_000_000;
    expect(await store.acquire('k', 'd', 100)).toEqual({
      status: 'completed',
      result: '"done"',
      holder: 'c',
      completedAt: clock.t - 1_000_000,
    });
    for (const t of [t1, t2, t3]) {
      expect((await failure(store.renew('k', t, 100))).code).toBe('STATEPROOF_LEASE_LOST');
      expect((await failure(store.abandon('k', t, 'no'))).code).toBe('STATEPROOF_LEASE_LOST');
    }
    expect(await admin((c) => c.hgetall(hash('k')))).toEqual(frozen);
    expect(await store.get('k')).toMatchObject({ state: 'completed', token: t3, takeovers: 1, holder: 'c' });
    // Another key counts on its own.
    expect(token(await store.acquire('other', 'a', 100))).toBe(1);
  });

  it('ends a lease exactly at expiresAt by the script clock, and never lets Redis expire the claim', async () => {
    const clock = settableClock();
    const adapter = await spaces.open({ clock });
    const { store, hash } = await openClaims(adapter);
    const first = await store.acquire('k', 'a', 100);
    const t = token(first);
    clock.t += 99;
    expect(await store.acquire('k', 'b', 100)).toEqual({ status: 'held', holder: 'a', expiresAt: clock.t + 1 });
    expect(await store.acquire('k', 'a', 100)).toMatchObject({ status: 'held', holder: 'a' });
    expect(await store.renew('k', t, 100)).toEqual({ expiresAt: clock.t + 100 });
    clock.t += 100;
    expect((await failure(store.complete('k', t, '1'))).message).toMatch(/lease expired/);
    expect(await admin((c) => c.pttl(hash('k')))).toBe(-1);
    expect(await store.acquire('k', 'b', 100)).toMatchObject({ status: 'acquired', takeover: true, token: t + 1 });
  });

  it('changes nothing on a refused holder write, whatever the reason', async () => {
    const clock = settableClock();
    const adapter = await spaces.open({ clock });
    const { store, hash } = await openClaims(adapter);
    expect((await failure(store.release('never', 1))).message).toMatch(/never acquired/);
    expect(await admin((c) => c.exists(hash('never')))).toBe(0);
    const old = token(await store.acquire('k', 'a', 50));
    clock.t += 50;
    const current = token(await store.acquire('k', 'b', 50));
    const before = await admin((c) => c.hgetall(hash('k')));
    const refusals = await Promise.all([
      failure(store.renew('k', old, 1000)),
      failure(store.complete('k', old, '1')),
      failure(store.release('k', old)),
      failure(store.abandon('k', old, 'x')),
      failure(store.renew('k', current + 1, 1000)),
    ]);
    expect(refusals.map((r) => r.code)).toEqual(Array(5).fill('STATEPROOF_LEASE_LOST'));
    expect(refusals[0]?.message).toMatch(`the current token is ${current}`);
    expect(await admin((c) => c.hgetall(hash('k')))).toEqual(before);
  });

  it('keeps timestamps ordered when the server clock steps back', async () => {
    const clock = settableClock(1_000_000);
    const adapter = await spaces.open({ clock });
    const { store } = await openClaims(adapter);
    const t = token(await store.acquire('k', 'a', 1000));
    clock.t = 999_900;
    expect(await store.renew('k', t, 1000)).toEqual({ expiresAt: 1_000_900 });
    clock.t = 999_800;
    expect(await store.complete('k', t, '1')).toEqual({ completedAt: 1_000_000 });
    expect(await store.get('k')).toMatchObject({ acquiredAt: 1_000_000, renewedAt: 1_000_000, completedAt: 1_000_000 });
  });

  it('keeps keys that hold { } * ? [ \\ : or look like a key of their own apart', async () => {
    const adapter = await spaces.open();
    const { store } = await openClaims(adapter);
    const keys = ['a', 'a{b}', '{a}', '*', 'a:b', 'a?[x]\\', 'c:a', '{sp1:x}:c', 'é:😀'.repeat(73)];
    for (const [i, key] of keys.entries()) {
      for (let n = 0; n <= i; n++) await store.release(key, token(await store.acquire(key, `o${i}`, 60_000)));
    }
    for (const [i, key] of keys.entries()) expect((await store.get(key))?.token).toBe(i + 1);
    const other = await spaces.open();
    expect(await (await openClaims(other)).store.get('a{b}')).toBeNull();
  });

  it('keeps no copy of a large result under the operation ids of the acquires that find it completed', async () => {
    const adapter = await spaces.open();
    const { store } = await openClaims(adapter);
    const result = JSON.stringify('x'.repeat(200_000));
    await store.complete('k', token(await store.acquire('k', 'a', 60_000)), result);
    for (let i = 0; i < 5; i++) expect(await store.acquire('k', 'b', 60_000)).toMatchObject({ result });
    const sizes = await admin(async (c) => {
      const opKeys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await c.scan(cursor, 'MATCH', `${adapter.ns.fixed('op:')}*`, 'COUNT', 1000);
        cursor = next;
        opKeys.push(...batch);
      } while (cursor !== '0');
      return Promise.all([...new Set(opKeys)].map((k) => c.strlen(k)));
    });
    expect(sizes.length).toBeGreaterThanOrEqual(7);
    expect(Math.max(...sizes)).toBeLessThan(1000);
  });
});

describe.skipIf(!OWN_SERVER_AVAILABLE)('the redis claim store on a server of its own', () => {
  let server: RedisServer;
  let own: TestNamespaces;
  beforeAll(async () => {
    server = await durableServer();
    own = new TestNamespaces(server.url);
  });
  afterAll(async () => {
    await own?.cleanup();
    await server?.stop();
  });

  it('keeps tokens and terminal claims through a kill -9 of the server', async () => {
    const a = await own.open();
    const { store } = await openClaims(a);
    for (let i = 0; i < 3; i++) await store.release('k', token(await store.acquire('k', 'a', 60_000)));
    await store.complete('done', token(await store.acquire('done', 'a', 60_000)), '42');
    await store.abandon('failed', token(await store.acquire('failed', 'a', 60_000)), 'why');
    const held = token(await store.acquire('held', 'a', 60_000));
    await a.close();
    await server.kill();
    await server.restart();
    const again = (await openClaims(await own.open({ namespace: a.namespace }))).store;
    expect(token(await again.acquire('k', 'b', 60_000))).toBe(4);
    expect(await again.acquire('done', 'b', 60_000)).toMatchObject({ status: 'completed', result: '42', holder: 'a' });
    expect(await again.acquire('failed', 'b', 60_000)).toMatchObject({ status: 'abandoned', reason: 'why' });
    expect(await again.acquire('held', 'b', 60_000)).toMatchObject({ status: 'held', holder: 'a' });
    expect(await again.renew('held', held, 60_000)).toHaveProperty('expiresAt');
    await own.cleanup();
  });

  it('writes every key under the namespace hash tag, whatever the claim keys hold', async () => {
    const adapter = await own.open({ namespace: 'ns{x}*:?' });
    const { store } = await openClaims(adapter);
    for (const key of ['}', '{', '*', 'a:b', '\\', '{sp1:other}']) {
      const t = token(await store.acquire(key, '{o}', 60_000));
      await store.renew(key, t, 60_000);
      await store.complete(key, t, '1');
      await store.acquire(key, '{o}', 60_000);
    }
    const keys = await admin((c) => c.keys('*'), server.url);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => !key.startsWith(adapter.ns.tag))).toEqual([]);
  });
});
