import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@stateproof/core';
import type { DataspaceStore, QueueCounters, QueueStore } from '@stateproof/core/adapter-kit';
import type { RedisAdapter } from '@stateproof/adapter-redis';
import { withRedisAdmin } from '@stateproof/adapter-redis/conformance';
import { binding, REDIS_AVAILABLE, REDIS_URL, TestNamespaces } from './redis-test-server.js';

// Retention of finished work (QUE-037, QUE-038, DSP-025) on the shared server, by its own clock:
// short windows and real waits; one test takes an injected clock for the exact boundary.

const spaces = new TestNamespaces();
afterAll(() => spaces.cleanup());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The code of what `p` rejects with (or 'ok'). */
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

/** Every key of the adapter's namespace. */
async function keysOf(adapter: RedisAdapter): Promise<string[]> {
  return withRedisAdmin(REDIS_URL, async (c) => {
    const out: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await c.scan(cursor, 'MATCH', adapter.ns.pattern, 'COUNT', 500);
      cursor = next;
      out.push(...keys);
    } while (cursor !== '0');
    return out;
  });
}

async function queueOf(adapter: RedisAdapter, finishedMs: number, leaseMs = 1000): Promise<QueueStore> {
  return adapter.openQueue(binding('queue', adapter.namespace, { leaseMs, retention: { finishedMs } }));
}

async function dataspaceOf(adapter: RedisAdapter, endedSessionsMs: number): Promise<DataspaceStore> {
  return adapter.openDataspace(binding('dataspace', adapter.namespace, { retention: { endedSessionsMs } }));
}

/** Prunes with `limit` until a call removes fewer; returns each call's count. */
async function pruneAll(store: { prune(limit: number): Promise<number> }, limit: number): Promise<number[]> {
  const counts: number[] = [];
  for (;;) {
    const n = await store.prune(limit);
    counts.push(n);
    if (n < limit) return counts;
  }
}

/** Claims the one task of `queue` (fails the test if there is none). */
async function claimOne(store: QueueStore, queue: string, leaseMs = 60_000) {
  const [t] = await store.claim({ worker: 'w', queues: [queue], limit: 1, leaseMs });
  expect(t, `a task in ${queue}`).toBeDefined();
  return t!;
}

describe.skipIf(!REDIS_AVAILABLE)('retention of finished tasks (redis)', () => {
  it('keeps every finished task for its window, then prunes them in batches with history, result and key; counters stay', async () => {
    const adapter = await spaces.open();
    const store = await queueOf(adapter, 400, 150);
    const enqueue = (queue: string, key: string, maxAttempts = 1) =>
      store.enqueue({ queue, payload: `"${key}"`, idempotencyKey: key, maxAttempts });

    // Every terminal transition: complete (3, one batch), fail without retry, cancel of a queued
    // task, acknowledged cancel, and the reaper ending a task (lost lease, no attempt left).
    const done = await Promise.all(['c1', 'c2', 'c3'].map((k) => enqueue('done', k)));
    const claimed = await store.claim({ worker: 'w', queues: ['done'], limit: 3, leaseMs: 60_000 });
    await Promise.all(claimed.map((t) => store.complete(t.id, t.token, '{"ok":true}')));
    const failed = await enqueue('fail', 'f1', 3);
    const f = await claimOne(store, 'fail');
    expect(await store.fail(f.id, f.token, 'boom', { retry: false })).toEqual({ state: 'failed' });
    const canceledQueued = await enqueue('cancel', 'q1');
    expect(await store.cancel(canceledQueued.id)).toMatchObject({ state: 'canceled' });
    const acked = await enqueue('ack', 'a1');
    const a = await claimOne(store, 'ack');
    await store.cancel(acked.id);
    await store.acknowledgeCancel(a.id, a.token);
    const reaped = await enqueue('reap', 'r1');
    await claimOne(store, 'reap', 50);
    await sleep(80);
    expect(await store.reap()).toMatchObject({ lost: 1, failed: 1 });
    const finished = [...done.map((d) => d.id), failed.id, canceledQueued.id, acked.id, reaped.id];

    // Live work, never pruned whatever its age: one queued, one running (renewed past the window).
    const queued = await enqueue('idle', 'live-q');
    const running = await enqueue('busy', 'live-r');
    const r = await claimOne(store, 'busy', 60_000);

    // Within the window: nothing goes; every finished task reads back and dedupes its key.
    expect(await store.prune(100)).toBe(0);
    for (const id of finished) expect((await store.get(id))?.state).toMatch(/^(succeeded|failed|canceled)$/);
    expect(await enqueue('done', 'c1')).toEqual({ id: done[0]!.id, deduped: true });
    expect((await store.get(done[0]!.id))?.result).toBe('{"ok":true}');
    expect((await store.get(failed.id))?.history.map((h) => h.outcome)).toEqual(['failed']);

    await sleep(450);
    const before: QueueCounters = await store.counters();
    expect(before).toMatchObject({ queued: 1, running: 1, succeeded: 3, failed: 2, canceled: 2, lost: 1 });

    // Due now: batches of at most the limit, oldest first, until one comes back short.
    expect(await pruneAll(store, 3)).toEqual([3, 3, 1]);
    expect(await store.counters()).toEqual(before);
    for (const id of finished) expect(await store.get(id), `task ${id}`).toBeNull();
    expect((await store.get(queued.id))?.state).toBe('queued');
    expect((await store.get(running.id))?.state).toBe('running');
    expect(await store.heartbeat(r.id, r.token, 60_000)).toMatchObject({ cancelRequested: false });

    // Nothing of them is left in Redis: hash, history, key mapping, finished-set member.
    const keys = await keysOf(adapter);
    for (const id of finished) {
      expect(keys.filter((k) => k.endsWith(`\u001f${id}`))).toEqual([]);
    }
    await withRedisAdmin(REDIS_URL, async (c) => {
      const qk = keys.find((k) => k.endsWith(':qk'))!;
      expect(Object.keys(await c.hgetall(qk)).sort()).toEqual(['live-q', 'live-r']);
      expect(keys.some((k) => k.endsWith(':qf'))).toBe(false);
    });

    // Pruning again finds nothing; a pruned key makes a new task with a new id.
    expect(await store.prune(100)).toBe(0);
    expect(await store.counters()).toEqual(before);
    const again = await enqueue('done', 'c1');
    expect(again.deduped).toBe(false);
    expect(Number(again.id)).toBeGreaterThan(Math.max(...finished.map(Number), Number(running.id)));
  });

  it('frees an idempotency key only with its own task', async () => {
    const adapter = await spaces.open();
    const store = await queueOf(adapter, 600);
    const early = await store.enqueue({ queue: 'q', payload: '1', idempotencyKey: 'early' });
    await store.cancel(early.id);
    await sleep(350);
    const late = await store.enqueue({ queue: 'q', payload: '2', idempotencyKey: 'late' });
    await store.cancel(late.id);
    await sleep(350); // early is due, late is not

    expect(await store.prune(10)).toBe(1);
    expect(await store.get(early.id)).toBeNull();
    expect(await store.enqueue({ queue: 'q', payload: '3', idempotencyKey: 'late' })).toEqual({
      id: late.id,
      deduped: true,
    });
    const reborn = await store.enqueue({ queue: 'q', payload: '4', idempotencyKey: 'early' });
    expect(reborn.deduped).toBe(false);

    // The new task holds the key now; the late task's prune leaves it to the new one.
    await sleep(350);
    expect(await store.prune(10)).toBe(1);
    expect(await store.get(late.id)).toBeNull();
    expect(await store.enqueue({ queue: 'q', payload: '5', idempotencyKey: 'early' })).toEqual({
      id: reborn.id,
      deduped: true,
    });
  });

  it('prunes at finishedAt + finishedMs exactly, not a millisecond before (injected clock)', async () => {
    const clock = new ManualClock();
    const adapter = await spaces.open({ clock });
    const store = await queueOf(adapter, 1000);
    const { id } = await store.enqueue({ queue: 'q', payload: '1', idempotencyKey: 'k' });
    const t = await claimOne(store, 'q');
    clock.advance(10);
    const finishedAt = clock.now();
    await store.complete(id, t.token, null);
    clock.advance(999);
    expect(await store.prune(10)).toBe(0);
    expect((await store.get(id))?.state).toBe('succeeded');
    clock.advance(1);
    expect(clock.now()).toBe(finishedAt + 1000);
    expect(await store.prune(10)).toBe(1);
    expect(await store.get(id)).toBeNull();
    expect(await store.counters()).toMatchObject({ succeeded: 1, queued: 0, running: 0 });
  });
});

describe.skipIf(!REDIS_AVAILABLE)('retention of ended sessions (redis)', () => {
  it('prunes closed and expired sessions after lease end + endedSessionsMs; open ones stay; pruned ones stay dead', async () => {
    const adapter = await spaces.open();
    const ds = await dataspaceOf(adapter, 300);

    const closed = await ds.openSession('closer', 200);
    await ds.assert(closed.session, 'c', '1');
    await ds.closeSession(closed.session);
    const expired = await ds.openSession('dier', 100);
    await ds.assert(expired.session, 'e', '2');
    const reaped = await ds.openSession('dier-too', 100);
    const open = await ds.openSession('alive', 60_000);
    await ds.assert(open.session, 'o', '3');
    await sleep(150);
    expect(await ds.reap()).toMatchObject({ expired: 2 });

    // Within the window they answer SESSION_EXPIRED.
    expect(await ds.prune(10)).toBe(0);
    expect(await codeOf(ds.heartbeat(closed.session, 1000))).toBe('STATEPROOF_SESSION_EXPIRED');

    // Closed: lease end (open + 200) + 300; expired: open + 100 + 300. Both due by now.
    await sleep(450);
    expect(await pruneAll(ds, 1)).toEqual([1, 1, 1, 0]);
    expect(await ds.prune(10)).toBe(0);
    for (const s of [closed, expired, reaped]) {
      expect(await codeOf(ds.heartbeat(s.session, 1000))).toMatch(/^STATEPROOF_(NOT_FOUND|SESSION_EXPIRED)$/);
      expect(await codeOf(ds.assert(s.session, 'z', '9'))).toMatch(/^STATEPROOF_(NOT_FOUND|SESSION_EXPIRED)$/);
      expect(await codeOf(ds.retract(s.session, 'z'))).toMatch(/^STATEPROOF_(NOT_FOUND|SESSION_EXPIRED)$/);
    }
    expect((await ds.list({ type: 'all' })).assertions.map((a) => a.id)).toEqual(['o']);
    expect(await ds.heartbeat(open.session, 60_000)).toMatchObject({ expiresAt: expect.any(Number) });

    // Nothing of them is left, and their ids are not handed out again.
    const keys = await keysOf(adapter);
    for (const s of [closed, expired, reaped]) expect(keys.filter((k) => k.endsWith(`\u001f${s.session}`))).toEqual([]);
    const next = await ds.openSession('new', 1000);
    expect(Number(next.session)).toBeGreaterThan(Number(open.session));
  });

  it('never prunes a session that ended within the window, nor an open one past its lease', async () => {
    const adapter = await spaces.open();
    const ds = await dataspaceOf(adapter, 400);
    const lapsed = await ds.openSession('lapsed', 50); // past its lease, never reaped: still open in Redis
    const closed = await ds.openSession('closer', 50);
    await ds.closeSession(closed.session);
    await sleep(200);
    expect(await ds.prune(10)).toBe(0);
    expect(await codeOf(ds.heartbeat(closed.session, 1000))).toBe('STATEPROOF_SESSION_EXPIRED');
    await sleep(300);
    expect(await ds.prune(10)).toBe(1);
    // The lapsed one ends now (found expired); its window counts from its lease end, long past: due at once.
    expect(await codeOf(ds.heartbeat(lapsed.session, 1000))).toBe('STATEPROOF_SESSION_EXPIRED');
    expect(await ds.prune(10)).toBe(1);
    expect(await codeOf(ds.heartbeat(lapsed.session, 1000))).toMatch(/^STATEPROOF_(NOT_FOUND|SESSION_EXPIRED)$/);
  });
});
