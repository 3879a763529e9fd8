import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock, scopedSpace } from '@stateproof/core';
import { compareClaimOrder, type ClaimedTask, type QueueStore } from '@stateproof/core/adapter-kit';
import { withRedisAdmin } from '@stateproof/adapter-redis/conformance';
import type { RedisAdapter } from '@stateproof/adapter-redis';
import { readyHead } from '../src/stores/redis-queue-keys.js';
import { binding, freshNamespace, REDIS_AVAILABLE, REDIS_URL, TestNamespaces } from './redis-test-server.js';

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

/** Every key of the adapter's namespace, with its type and size (through an admin connection). */
async function keysOf(adapter: RedisAdapter): Promise<Map<string, number>> {
  return withRedisAdmin(REDIS_URL, async (c) => {
    const out = new Map<string, number>();
    let cursor = '0';
    do {
      const [next, keys] = await c.scan(cursor, 'MATCH', adapter.ns.pattern, 'COUNT', 500);
      cursor = next;
      for (const k of keys) {
        const type = await c.type(k);
        const size =
          type === 'zset'
            ? await c.zcard(k)
            : type === 'set'
              ? await c.scard(k)
              : type === 'hash'
                ? await c.hlen(k)
                : type === 'list'
                  ? await c.llen(k)
                  : 1;
        out.set(k, size);
      }
    } while (cursor !== '0');
    return out;
  });
}

describe('the order-preserving due-time text of ready sets', () => {
  it('sorts as the instants do, negatives and extremes included', () => {
    const instants = [-1e300, -(2 ** 53), -1_000_000, -10, -9, -1, 0, 1, 9, 10, 1_700_000_000_000, 2 ** 53, 1e300];
    const heads = instants.map(readyHead);
    expect(heads.every((h) => h.length === 20 && /^[0-9]+$/.test(h))).toBe(true);
    expect([...heads].sort()).toEqual(heads);
    expect(new Set(heads.slice(1, -1)).size).toBe(instants.length - 2);
  });
});

describe.skipIf(!REDIS_AVAILABLE)('redis queue', () => {
  it('claims in claim order across queues, priorities and due times, as time passes', async () => {
    const clock = new ManualClock();
    const adapter = await spaces.open({ clock });
    const store = await adapter.openQueue(binding('queue', adapter.namespace));
    const start = clock.now();
    const priorities = [-(2 ** 31), -3, 0, 0, 1, 7, 2 ** 31 - 1];
    const dues = [-5, -3, 0, start - 1000, start - 1, start, start, start + 1, start + 500, start + 2000];
    const specs = Array.from({ length: 90 }, (_, i) => ({
      queue: `q${i % 3}`,
      payload: `p${i}`,
      priority: priorities[(i * 7) % priorities.length] as number,
      runAt: dues[(i * 3) % dues.length] as number,
    }));
    const ids = (await store.enqueueMany(specs.slice(0, 60))).map((r) => r.id);
    for (const s of specs.slice(60)) ids.push((await store.enqueue(s)).id);
    const model = specs.map((s, i) => ({ ...s, id: ids[i] as string, seq: i, claimed: false }));
    const expectClaim = (got: ClaimedTask[], queues: string[], limit: number) => {
      const want = model
        .filter((t) => !t.claimed && t.runAt <= clock.now() && (queues.length === 0 || queues.includes(t.queue)))
        .sort(compareClaimOrder)
        .slice(0, limit);
      expect(got.map((t) => t.id)).toEqual(want.map((t) => t.id));
      for (const t of want) t.claimed = true;
    };
    const rounds: Array<[number, string[], number]> = [
      [0, ['q1'], 4],
      [0, [], 9],
      [1, ['q2', 'q0', 'q2'], 5],
      [0, [], 20],
      [499, ['q0'], 3],
      [0, [], 1000],
      [1500, [], 1000],
    ];
    for (const [advance, queues, limit] of rounds) {
      clock.advance(advance);
      const got = await store.claim({ worker: 'w', queues, limit, leaseMs: 60_000 });
      expectClaim(got, queues, limit);
    }
    expect(model.every((t) => t.claimed)).toBe(true);
    expect(await store.claim({ worker: 'w', queues: [], limit: 10, leaseMs: 60_000 })).toEqual([]);
  });

  it('lets a reaper in another process recover a dead worker’s attempt, and refuses that worker’s late writes', async () => {
    const a = await spaces.open();
    const b = await spaces.open({ namespace: a.namespace });
    const retry = { maxAttempts: 3, baseDelayMs: 0, factor: 2, maxDelayMs: 0, jitter: 0 };
    const sa = await a.openQueue(binding('queue', a.namespace, { retry }));
    const sb = await b.openQueue(binding('queue', a.namespace, { retry }));
    const { id } = await sa.enqueue({ queue: 'default', payload: 'x' });
    const [dead] = await sa.claim({ worker: 'dead-worker', queues: [], limit: 1, leaseMs: 150 });
    expect(dead?.attempt).toBe(1);
    // Before the lease ends, nobody may take the task or reap its attempt.
    expect(await sb.claim({ worker: 'b', queues: [], limit: 1, leaseMs: 60_000 })).toEqual([]);
    expect(await sb.reap()).toEqual({ lost: 0, timedOut: 0, requeued: 0, failed: 0, canceled: 0 });
    await sleep(250);
    expect(await sb.reap()).toEqual({ lost: 1, timedOut: 0, requeued: 1, failed: 0, canceled: 0 });
    expect(await sb.reap()).toEqual({ lost: 0, timedOut: 0, requeued: 0, failed: 0, canceled: 0 });
    const [next] = await sb.claim({ worker: 'b', queues: [], limit: 1, leaseMs: 60_000 });
    expect(next).toMatchObject({ id, attempt: 2 });
    expect(next!.token).not.toBe(dead!.token);
    expect(await codeOf(sa.complete(id, dead!.token, 'late'))).toBe('STATEPROOF_LEASE_LOST');
    expect(await codeOf(sa.fail(id, dead!.token, 'late'))).toBe('STATEPROOF_LEASE_LOST');
    expect(await codeOf(sa.heartbeat(id, dead!.token, 1000))).toBe('STATEPROOF_LEASE_LOST');
    expect(await codeOf(sa.complete('999999999', dead!.token, null))).toBe('STATEPROOF_NOT_FOUND');
    expect((await sa.get(id))?.state).toBe('running');
    await sb.complete(id, next!.token, 'done');
    const info = await sa.get(id);
    expect(info).toMatchObject({ state: 'succeeded', attempts: 2, result: 'done', leaseExpiresAt: null });
    expect(info!.history.map((h) => [h.attempt, h.worker, h.outcome, h.error])).toEqual([
      [1, 'dead-worker', 'lost', 'lease expired'],
      [2, 'b', 'succeeded', null],
    ]);
    expect(await sb.counters()).toEqual({ queued: 0, running: 0, succeeded: 1, failed: 0, canceled: 0, lost: 1 });
  });

  it('refuses the token of a failed attempt once the task runs again', async () => {
    const adapter = await spaces.open();
    const store = await adapter.openQueue(
      binding('queue', adapter.namespace, {
        retry: { maxAttempts: 2, baseDelayMs: 0, factor: 2, maxDelayMs: 0, jitter: 0 },
      }),
    );
    const { id } = await store.enqueue({ queue: 'default', payload: 'x' });
    const [first] = await store.claim({ worker: 'w1', queues: [], limit: 1, leaseMs: 60_000 });
    expect(await store.fail(id, first!.token, 'boom {with} \u001f separators')).toMatchObject({ state: 'queued' });
    const [second] = await store.claim({ worker: 'w2', queues: [], limit: 1, leaseMs: 60_000 });
    expect(second?.attempt).toBe(2);
    expect(await codeOf(store.complete(id, first!.token, null))).toBe('STATEPROOF_LEASE_LOST');
    expect(await codeOf(store.acknowledgeCancel(id, first!.token))).toBe('STATEPROOF_LEASE_LOST');
    expect(await store.fail(id, second!.token, 'again')).toEqual({ state: 'failed' });
    const info = await store.get(id);
    expect(info).toMatchObject({ state: 'failed', attempts: 2, lastError: 'again' });
    expect(info!.history.map((h) => h.error)).toEqual(['boom {with} \u001f separators', 'again']);
  });

  it('holds the global and per-queue limits across two adapter instances claiming at once', async () => {
    const a = await spaces.open();
    const b = await spaces.open({ namespace: a.namespace });
    const bind = binding('queue', a.namespace, { concurrency: { global: 5, perQueue: 3 } });
    const stores = [await a.openQueue(bind), await b.openQueue(bind)];
    await stores[0]!.enqueueMany(
      Array.from({ length: 30 }, (_, i) => ({ queue: `q${i % 3}`, payload: `p${i}`, priority: i % 4 })),
    );
    const held: ClaimedTask[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let round = 0; round < 4; round++)
          held.push(
            ...(await stores[w % 2]!.claim({
              worker: `w${w}`,
              queues: w % 3 ? [] : ['q0'],
              limit: 2,
              leaseMs: 60_000,
            })),
          );
      }),
    );
    const perQueue = (q: string) => held.filter((t) => t.queue === q).length;
    expect(held).toHaveLength(5);
    expect(Math.max(perQueue('q0'), perQueue('q1'), perQueue('q2'))).toBeLessThanOrEqual(3);
    expect((await stores[1]!.counters()).running).toBe(5);
    // One attempt ends: exactly one more may start.
    await stores[1]!.complete(held[0]!.id, held[0]!.token, null);
    const more = await Promise.all(
      stores.map((s, i) => s.claim({ worker: `late${i}`, queues: [], limit: 10, leaseMs: 60_000 })),
    );
    expect(more.flat()).toHaveLength(1);
  });

  it('keeps idempotency keys with { } * : in their own surface and namespace', async () => {
    const key = 'order:{42}*?[x]\\:end';
    const a = await spaces.open({ namespace: freshNamespace('sp-test-{q}*') });
    const b = await spaces.open({ namespace: `${a.namespace}:b` });
    const other = {
      space: scopedSpace({ namespace: a.namespace, app: 'app', deployment: 'd1' }, 'app', 'test.queue2'),
    };
    const s1 = await a.openQueue(binding('queue', a.namespace));
    const s2 = await a.openQueue(binding('queue', a.namespace, other));
    const s3 = await b.openQueue(binding('queue', b.namespace));
    const first = await s1.enqueue({ queue: 'q', payload: '1', idempotencyKey: key });
    expect(await s1.enqueue({ queue: 'q', payload: '2', idempotencyKey: key })).toEqual({
      id: first.id,
      deduped: true,
    });
    const inOther = await s2.enqueue({ queue: 'q', payload: '3', idempotencyKey: key });
    const inB = await s3.enqueue({ queue: 'q', payload: '4', idempotencyKey: key });
    expect(inOther.deduped || inB.deduped).toBe(false);
    expect(new Set([first.id, inOther.id])).toHaveProperty('size', 2);
    expect(await s2.get(first.id)).toBeNull();
    // Within a batch the key dedupes against its first occurrence; against a finished task too.
    const [t] = await s1.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 60_000 });
    await s1.complete(t!.id, t!.token, null);
    const batch = await s1.enqueueMany([
      { queue: 'q', payload: '5', idempotencyKey: 'fresh' },
      { queue: 'q', payload: '6', idempotencyKey: key },
      { queue: 'q', payload: '7', idempotencyKey: 'fresh' },
    ]);
    expect(batch[1]).toEqual({ id: first.id, deduped: true });
    expect(batch[2]).toEqual({ id: batch[0]!.id, deduped: true });
    expect(batch[0]!.deduped).toBe(false);
    for (const adapter of [a, b]) {
      const keys = [...(await keysOf(adapter)).keys()];
      expect(keys.length).toBeGreaterThan(3);
      for (const k of keys) expect(k.startsWith(adapter.ns.tag)).toBe(true);
    }
  });

  it('completes the calls of one turn in one script, each judged on its own token', async () => {
    const adapter = await spaces.open();
    const store = await adapter.openQueue(binding('queue', adapter.namespace));
    await store.enqueueMany(Array.from({ length: 5 }, (_, i) => ({ queue: 'q', payload: `p${i}` })));
    const tasks = await store.claim({ worker: 'w', queues: [], limit: 5, leaseMs: 60_000 });
    const scripts: string[] = [];
    const evalScript = adapter.connection.evalScript.bind(adapter.connection);
    adapter.connection.evalScript = (script, keys, args) => {
      scripts.push(script.name);
      return evalScript(script, keys, args);
    };
    const outcomes = await Promise.all([
      ...tasks.map((t, i) => codeOf(store.complete(t.id, i === 2 ? `${t.token}x` : t.token, `r${i}`))),
      codeOf(store.complete(tasks[0]!.id, tasks[0]!.token, 'twice')),
    ]);
    expect(scripts).toEqual(['queue-complete']);
    expect(outcomes).toEqual(['ok', 'ok', 'STATEPROOF_LEASE_LOST', 'ok', 'ok', 'STATEPROOF_LEASE_LOST']);
    expect((await store.get(tasks[0]!.id))?.result).toBe('r0');
    expect((await store.get(tasks[2]!.id))?.state).toBe('running');
  });

  it('serves the claims of one turn with one script, in call order, each within the limits the earlier ones left', async () => {
    const adapter = await spaces.open();
    const store = await adapter.openQueue(binding('queue', adapter.namespace, { concurrency: { global: 6 } }));
    const ids = (
      await store.enqueueMany(
        Array.from({ length: 10 }, (_, i) => ({ queue: i < 5 ? 'a' : 'b', payload: `p${i}`, priority: i % 2 })),
      )
    ).map((r) => r.id);
    const scripts: string[] = [];
    const evalScript = adapter.connection.evalScript.bind(adapter.connection);
    adapter.connection.evalScript = (script, keys, args) => {
      scripts.push(script.name);
      return evalScript(script, keys, args);
    };
    const claims = await Promise.all([
      store.claim({ worker: 'w1', queues: ['b'], limit: 2, leaseMs: 60_000 }),
      store.claim({ worker: 'w2', queues: [], limit: 3, leaseMs: 30_000 }),
      store.claim({ worker: 'w3', queues: ['a', 'b', 'a'], limit: 4, leaseMs: 60_000 }),
      store.claim({ worker: 'w4', queues: [], limit: 4, leaseMs: 60_000 }),
    ]);
    expect(scripts).toEqual(['queue-claim']);
    // w1 takes b's best two (priority 1 first, then enqueue order); w2 the best three left of both
    // queues; w3 meets the global limit of 6 after one; w4 finds no room at all.
    expect(claims.map((c) => c.map((t) => t.id))).toEqual([[ids[5], ids[7]], [ids[1], ids[3], ids[9]], [ids[0]], []]);
    expect(claims[1]!.every((t) => t.leaseExpiresAt - t.enqueuedAt <= 31_000)).toBe(true);
    const tokens = claims.flat().map((t) => t.token.split('.')[2]);
    expect(new Set(tokens.slice(0, 2)).size).toBe(1);
    expect(new Set([tokens[0], tokens[2], tokens[5]]).size).toBe(3);
    expect((await store.counters()).running).toBe(6);
    expect((await store.get(ids[0]!))?.history.at(-1)?.worker).toBe('w3');
  });

  it('takes finished tasks out of every set and keeps their history bounded', async () => {
    const clock = new ManualClock();
    const adapter = await spaces.open({ clock, random: () => 0.5 });
    const store: QueueStore = await adapter.openQueue(
      binding('queue', adapter.namespace, {
        attemptHistory: 2,
        retry: { maxAttempts: 5, baseDelayMs: 100, factor: 2, maxDelayMs: 10_000, jitter: 0.2 },
      }),
    );
    const { id } = await store.enqueue({ queue: 'q', payload: 'p' });
    const delayed = await store.enqueue({ queue: 'q', payload: 'later', runAt: clock.now() + 60_000 });
    for (let n = 1; n <= 3; n++) {
      const [t] = await store.claim({ worker: `w${n}`, queues: ['q'], limit: 1, leaseMs: 1000 });
      expect(t?.attempt).toBe(n);
      const raw = 100 * 2 ** (n - 1);
      // The pinned backoff, computed by core with the adapter's randomness: raw - floor(raw * jitter * r).
      expect(await store.fail(id, t!.token, `e${n}`)).toEqual({
        state: 'queued',
        runAt: clock.now() + raw - Math.floor(raw * 0.2 * 0.5),
      });
      clock.advance(raw);
    }
    const [t4] = await store.claim({ worker: 'w4', queues: [], limit: 1, leaseMs: 1000 });
    await store.complete(id, t4!.token, 'done');
    expect(await store.cancel(delayed.id)).toEqual({ state: 'canceled', cancelRequested: false });
    const info = await store.get(id);
    expect(info).toMatchObject({ state: 'succeeded', attempts: 4, result: 'done', lastError: 'e3' });
    expect(info!.history.map((h) => [h.attempt, h.worker, h.outcome])).toEqual([
      [3, 'w3', 'failed'],
      [4, 'w4', 'succeeded'],
    ]);
    const keys = await keysOf(adapter);
    const sizes = [...keys].filter(([k]) => /:(qd|qr|qs|rq\u001f.*)$/.test(k)).map(([, n]) => n);
    expect(sizes.every((n) => n === 0)).toBe(true);
    expect(keys.get([...keys.keys()].find((k) => k.endsWith(`:t\u001f${id}`)) ?? '')).toBeGreaterThan(10);
    const history = [...keys].find(([k]) => k.endsWith(`:th\u001f${id}`));
    expect(history?.[1]).toBe(2);
    expect(await store.counters()).toEqual({ queued: 0, running: 0, succeeded: 1, failed: 0, canceled: 1, lost: 0 });
  });

  it('times out an attempt at its maximum runtime however recently it sent a heartbeat', async () => {
    const clock = new ManualClock();
    const adapter = await spaces.open({ clock });
    const store = await adapter.openQueue(
      binding('queue', adapter.namespace, {
        maxRuntimeMs: 1000,
        retry: { maxAttempts: 1, baseDelayMs: 0, factor: 2, maxDelayMs: 0, jitter: 0 },
      }),
    );
    const { id } = await store.enqueue({ queue: 'q', payload: 'p' });
    const [t] = await store.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 600 });
    expect(t!.leaseExpiresAt).toBe(clock.now() + 600);
    clock.advance(500);
    expect(await store.heartbeat(id, t!.token, 600)).toEqual({
      leaseExpiresAt: t!.leaseExpiresAt + 400,
      cancelRequested: false,
    });
    expect(await store.cancel(id)).toEqual({ state: 'running', cancelRequested: true });
    clock.advance(499);
    expect((await store.heartbeat(id, t!.token, 600)).cancelRequested).toBe(true);
    expect(await store.reap()).toMatchObject({ lost: 0, timedOut: 0 });
    clock.advance(1);
    expect(await codeOf(store.heartbeat(id, t!.token, 600))).toBe('STATEPROOF_LEASE_LOST');
    expect(await store.reap()).toEqual({ lost: 0, timedOut: 1, requeued: 0, failed: 0, canceled: 1 });
    expect((await store.get(id))?.history.map((h) => h.outcome)).toEqual(['timed-out']);
  });

  it('wakes a worker waiting in another instance when a task is enqueued', async () => {
    const a = await spaces.open();
    const b = await spaces.open({ namespace: a.namespace });
    const bind = binding('queue', a.namespace);
    const producer = await a.openQueue(bind);
    const consumer = (await b.openQueue(bind)) as QueueStore & { waitForTasks(ms: number): Promise<void> };
    // Enqueue once the waiter's subscription is active (a hint sent before it would be lost: polling covers that).
    const t0 = Date.now();
    const waiting = consumer.waitForTasks(10_000);
    const subscribed = () =>
      withRedisAdmin(REDIS_URL, async (c) => (await c.pubsub('CHANNELS', `${a.ns.tag}*`)) as string[]);
    while ((await subscribed()).length === 0) await sleep(10);
    await producer.enqueue({ queue: 'q', payload: 'p' });
    await waiting;
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(await consumer.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 1000 })).toHaveLength(1);
  });
});
