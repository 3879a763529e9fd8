import { Type } from '@sinclair/typebox';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRegistry, log, openRuntime, record, type Registry } from '@stateproof/core';
import type { LogStore, RecordStore } from '@stateproof/core/adapter-kit';
import { redisAdapter, surfaceBase, type RedisAdapter } from '@stateproof/adapter-redis';
import { dropRedisNamespace, withRedisAdmin, type RedisServer } from '@stateproof/adapter-redis/conformance';
import {
  binding,
  durableServer,
  freshNamespace,
  OWN_SERVER_AVAILABLE,
  REDIS_AVAILABLE,
  REDIS_URL,
  TestNamespaces,
} from './redis-test-server.js';

// The projection commit of the Redis stores (spec/contract/classes.md, PRJ-003): one script that
// compares the cursor and checks every key before its first write, clears on reset, writes, and
// moves the cursor.
const spaces = new TestNamespaces();
afterAll(() => spaces.cleanup());

const admin = <T>(fn: (c: Redis) => Promise<T>, url = REDIS_URL) => withRedisAdmin(url, fn);

const recordBinding = (namespace: string) => binding('record', namespace, { class: 'derived-projection' });
const logBinding = (namespace: string) => binding('log', namespace, { class: 'derived-projection' });

async function stores(a: RedisAdapter): Promise<{ records: RecordStore; logs: LogStore }> {
  return {
    records: await a.openRecord(recordBinding(a.namespace)),
    logs: await a.openLog(logBinding(a.namespace)),
  };
}

/** The raw keys of the test surfaces, for planting what another program might write. */
function rawKeys(namespace: string) {
  const records = surfaceBase(recordBinding(namespace).space, namespace);
  const logs = surfaceBase(logBinding(namespace).space, namespace);
  return {
    record: (key: string) => `${records}r\u001f${key}`,
    recordIndex: `${records}ri`,
    stream: (name: string) => `${logs}ls\u001f${name}`,
  };
}

async function keys(records: RecordStore): Promise<Array<[string, string]>> {
  return (await records.list({ prefix: '', limit: 1000 })).entries.map((e) => [e.key, e.value]);
}

describe.skipIf(!REDIS_AVAILABLE)('Redis projection commit: records', () => {
  it('applies puts and deletes in order with fresh versions, and moves the cursor', async () => {
    const { records } = await stores(await spaces.open());
    expect(await records.projectionCursor!()).toBe(0);
    await records.applyProjection!(
      [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
        { key: 'a', value: '3' },
        { key: 'c', value: '4' },
        { key: 'c', value: null },
      ],
      { from: 0, to: 4 },
    );
    expect(await keys(records)).toEqual([
      ['a', '3'],
      ['b', '2'],
    ]);
    const a1 = await records.get('a');
    await records.applyProjection!(
      [
        { key: 'b', value: null },
        { key: 'a', value: '4' },
      ],
      { from: 4, to: 9 },
    );
    expect(await keys(records)).toEqual([['a', '4']]);
    expect((await records.get('a'))!.version).toBeGreaterThan(a1!.version);
    expect(await records.projectionCursor!()).toBe(9);
  });

  it('applies the surface’s default TTL to the records it puts', async () => {
    const clock = { t: 1_000_000, now: () => clock.t };
    const a = await spaces.open({ clock });
    const records = await a.openRecord(binding('record', a.namespace, { class: 'derived-projection', ttlMs: 100 }));
    await records.applyProjection!([{ key: 'k', value: '1' }], { from: 0, to: 1 });
    expect(await records.get('k')).toMatchObject({ expiresAt: 1_000_100 });
    clock.t = 1_000_100;
    expect(await records.get('k')).toBeNull();
  });

  it('applies nothing when a write would fail half-way (a key another program wrote): refused before the first write', async () => {
    const a = await spaces.open();
    const { records } = await stores(a);
    await records.applyProjection!([{ key: 'kept', value: '0' }], { from: 0, to: 1 });
    // A string where the second write's record hash goes: HSET there fails with WRONGTYPE.
    await admin((c) => c.set(rawKeys(a.namespace).record('bad'), 'not a hash'));
    await expect(
      records.applyProjection!(
        [
          { key: 'new', value: '1' },
          { key: 'bad', value: '2' },
          { key: 'after', value: '3' },
        ],
        { from: 1, to: 5, reset: true },
      ),
    ).rejects.toMatchObject({ code: 'STATEPROOF_BACKEND_INCOMPATIBLE' });
    expect(await keys(records)).toEqual([['kept', '0']]);
    expect(await records.projectionCursor!()).toBe(1);
    await admin((c) => c.del(rawKeys(a.namespace).record('bad')));
    await records.applyProjection!([{ key: 'new', value: '2' }], { from: 1, to: 5 });
    expect(await keys(records)).toEqual([
      ['kept', '0'],
      ['new', '2'],
    ]);
  });

  it('lets exactly one of two commits from the same cursor win, across two adapter instances', async () => {
    const a = await spaces.open();
    const b = await spaces.open({ namespace: a.namespace });
    const [r1, r2] = [(await stores(a)).records, (await stores(b)).records];
    let cursor = 0;
    for (let round = 0; round < 15; round++) {
      const results = await Promise.allSettled([
        r1.applyProjection!([{ key: `one-${round}`, value: '1' }], { from: cursor, to: cursor + 1 }),
        r2.applyProjection!([{ key: `two-${round}`, value: '2' }], { from: cursor, to: cursor + 2 }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const won = results.findIndex((r) => r.status === 'fulfilled');
      expect(results[1 - won]).toMatchObject({
        reason: { code: 'STATEPROOF_PROJECTION_CONFLICT', details: { expected: cursor, current: cursor + won + 1 } },
      });
      cursor += won + 1;
      expect(await r2.projectionCursor!()).toBe(cursor);
      const names = (await keys(r1)).map(([k]) => k).filter((k) => k.endsWith(`-${round}`));
      expect(names).toEqual([won === 0 ? `one-${round}` : `two-${round}`]);
    }
  });

  it('clears every record of the surface on reset, and only of that surface', async () => {
    const a = await spaces.open();
    const { records } = await stores(a);
    const neighbour = await a.openRecord(binding('record', a.namespace, { surfaceId: 'n' }));
    await neighbour.put('a', '"n"');
    await records.applyProjection!(
      Array.from({ length: 300 }, (_, i) => ({ key: `k${i}`, value: String(i) })),
      { from: 0, to: 2 },
    );
    const before = (await records.get('k1'))!.version;
    await records.applyProjection!([{ key: 'k1', value: '5' }], { from: 2, to: 1, reset: true });
    expect(await keys(records)).toEqual([['k1', '5']]);
    expect((await records.get('k1'))!.version).toBeGreaterThan(before);
    expect(await records.get('k2')).toBeNull();
    expect(await records.projectionCursor!()).toBe(1);
    expect((await neighbour.get('a'))?.value).toBe('"n"');
    await expect(records.applyProjection!([], { from: 2, to: 0, reset: true })).rejects.toMatchObject({
      code: 'STATEPROOF_PROJECTION_CONFLICT',
    });
    expect(await keys(records)).toEqual([['k1', '5']]);
    // Nothing of the cleared records is left behind in the server: no hash, no index entry.
    const raw = rawKeys(a.namespace);
    const gone = Array.from({ length: 300 }, (_, i) => raw.record(`k${i}`)).filter((k) => k !== raw.record('k1'));
    expect(await admin((c) => c.exists(...gone))).toBe(0);
    expect(await admin((c) => c.zcard(raw.recordIndex))).toBe(1);
  });
});

describe.skipIf(!REDIS_AVAILABLE)('Redis projection commit: logs', () => {
  it('appends with each stream’s next sequences and moves the cursor; reset empties every stream and sequences go on', async () => {
    const a = await spaces.open();
    const { logs } = await stores(a);
    await logs.applyProjection!(
      [
        { stream: 'x', value: '1' },
        { stream: 'y', value: '2' },
        { stream: 'x', value: '3' },
        { stream: 'y', value: '4' },
      ],
      { from: 0, to: 3 },
    );
    expect((await logs.read('x', { after: 0, limit: 10 })).map((e) => [e.seq, e.value])).toEqual([
      [1, '1'],
      [2, '3'],
    ]);
    expect((await logs.read('y', { after: 0, limit: 10 })).map((e) => [e.seq, e.value])).toEqual([
      [1, '2'],
      [2, '4'],
    ]);
    await logs.applyProjection!([{ stream: 'x', value: '5' }], { from: 3, to: 1, reset: true });
    expect((await logs.read('x', { after: 2, limit: 10 })).map((e) => [e.seq, e.value])).toEqual([[3, '5']]);
    expect(await logs.info('x')).toEqual({ first: 3, last: 3 });
    expect(await logs.info('y')).toEqual({ first: null, last: 2 });
    expect(await admin((c) => c.exists(rawKeys(a.namespace).stream('y')))).toBe(0);
    await logs.applyProjection!([{ stream: 'y', value: '6' }], { from: 1, to: 2 });
    expect((await logs.read('y', { after: 2, limit: 10 })).map((e) => [e.seq, e.value])).toEqual([[3, '6']]);
    expect(await logs.projectionCursor!()).toBe(2);
  });

  it('applies retention to the streams it appends to', async () => {
    const a = await spaces.open();
    const logs = await a.openLog(
      binding('log', a.namespace, { class: 'derived-projection', retention: { maxEntries: 2 } }),
    );
    await logs.applyProjection!(
      ['1', '2', '3', '4', '5'].map((value) => ({ stream: 'x', value })),
      { from: 0, to: 5 },
    );
    expect(await admin((c) => c.xlen(rawKeys(a.namespace).stream('x')))).toBe(2);
    expect(await logs.info('x')).toEqual({ first: 4, last: 5 });
    await expect(logs.read('x', { after: 0, limit: 10 })).rejects.toMatchObject({ code: 'STATEPROOF_LOG_TRIMMED' });
  });

  it('applies nothing when an append would fail half-way (an entry another program wrote): refused before the first write', async () => {
    const a = await spaces.open();
    const { logs } = await stores(a);
    await logs.applyProjection!([{ stream: 'x', value: '0' }], { from: 0, to: 1 });
    // An id above anything the meta hash handed out: an XADD of the next sequence there is refused by Redis.
    await admin((c) => c.xadd(rawKeys(a.namespace).stream('y'), '7-0', 't', '0', 'v', 'foreign'));
    await expect(
      logs.applyProjection!(
        [
          { stream: 'x', value: '1' },
          { stream: 'y', value: '2' },
        ],
        { from: 1, to: 3 },
      ),
    ).rejects.toMatchObject({ code: 'STATEPROOF_BACKEND_INCOMPATIBLE' });
    expect(await logs.info('x')).toEqual({ first: 1, last: 1 });
    expect(await logs.projectionCursor!()).toBe(1);
    await admin((c) => c.set(rawKeys(a.namespace).stream('z'), 'not a stream'));
    await expect(
      logs.applyProjection!(
        [
          { stream: 'x', value: '1' },
          { stream: 'z', value: '2' },
        ],
        { from: 1, to: 3 },
      ),
    ).rejects.toMatchObject({ code: 'STATEPROOF_BACKEND_INCOMPATIBLE' });
    expect(await logs.info('x')).toEqual({ first: 1, last: 1 });
    expect(await logs.projectionCursor!()).toBe(1);
  });

  it('lets exactly one of two commits from the same cursor win, across two adapter instances', async () => {
    const a = await spaces.open();
    const b = await spaces.open({ namespace: a.namespace });
    const [l1, l2] = [(await stores(a)).logs, (await stores(b)).logs];
    let cursor = 0;
    for (let round = 0; round < 15; round++) {
      const results = await Promise.allSettled([
        l1.applyProjection!([{ stream: 's', value: '1' }], { from: cursor, to: cursor + 1 }),
        l2.applyProjection!(
          [
            { stream: 's', value: '2' },
            { stream: 's', value: '2' },
          ],
          { from: cursor, to: cursor + 2 },
        ),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const won = results.findIndex((r) => r.status === 'fulfilled');
      expect(results[1 - won]).toMatchObject({ reason: { code: 'STATEPROOF_PROJECTION_CONFLICT' } });
      cursor += won + 1;
    }
    expect((await l1.read('s', { after: 0, limit: 1000 })).length).toBe(cursor);
    expect(await l2.projectionCursor!()).toBe(cursor);
  });

  it('wakes a subscriber of a stream it appends to', async () => {
    const a = await spaces.open({ pollIntervalMs: 60_000 });
    const { logs } = await stores(a);
    const sub = await logs.subscribe('x', { after: 0 });
    const next = sub.next();
    await logs.applyProjection!([{ stream: 'x', value: '"hi"' }], { from: 0, to: 1 });
    const event = await Promise.race([next, new Promise((r) => setTimeout(() => r('timeout'), 5_000))]);
    expect(event).toMatchObject({ value: { type: 'entry', entry: { seq: 1, value: '"hi"' } } });
    await sub.close();
  });

  it('keeps the cursor and the projection across a reopen', async () => {
    const a = await spaces.open();
    const s = await stores(a);
    await s.records.applyProjection!([{ key: 'k', value: '"v"' }], { from: 0, to: 7 });
    await s.logs.applyProjection!([{ stream: 'x', value: '"e"' }], { from: 0, to: 3 });
    await a.close();
    const again = await stores(await spaces.open({ namespace: a.namespace }));
    expect(await again.records.projectionCursor!()).toBe(7);
    expect((await again.records.get('k'))?.value).toBe('"v"');
    expect(await again.logs.projectionCursor!()).toBe(3);
    expect((await again.logs.read('x', { after: 0, limit: 10 })).map((e) => e.value)).toEqual(['"e"']);
  });
});

const Order = Type.Object({ customer: Type.String(), amount: Type.Integer() });
const Total = Type.Object({ total: Type.Integer(), orders: Type.Integer() });

function surfaces(registry: Registry) {
  const orders = log('orders.log', { durability: 'shared-durable', value: Order, registry });
  const totals = record('customers.totals', {
    durability: 'derived-projection',
    source: orders,
    value: Total,
    registry,
  });
  const big = log('orders.big', { durability: 'derived-projection', source: orders, value: Order, registry });
  return { orders, totals, big };
}

/** The per-customer totals of a batch, folded from what the projection holds. */
async function totalsOf(
  entries: ReadonlyArray<{ value: { customer: string; amount: number } }>,
  view: { get(key: string): Promise<{ total: number; orders: number } | null> },
) {
  const next = new Map<string, { total: number; orders: number }>();
  for (const { value } of entries) {
    const before = next.get(value.customer) ?? (await view.get(value.customer)) ?? { total: 0, orders: 0 };
    next.set(value.customer, { total: before.total + value.amount, orders: before.orders + 1 });
  }
  return [...next].map(([put, v]) => ({ put, value: v }));
}

// Through the runtime in enforce mode: on a server of the test's own that the probe certifies
// (the shared one keeps nothing on disk, so no durable class may be used on it).
describe.skipIf(!OWN_SERVER_AVAILABLE)('Redis projections through the runtime', () => {
  let server: RedisServer | undefined;
  const namespaces: string[] = [];
  afterAll(async () => {
    if (server) for (const namespace of namespaces) await dropRedisNamespace({ url: server.url, namespace });
    await server?.stop();
  });

  async function runtime(namespace: string, { delayMs = 0, batch = 4 } = {}) {
    server ??= await durableServer();
    const registry = createRegistry();
    const s = surfaces(registry);
    const rt = await openRuntime({
      adapter: redisAdapter({ url: server.url, namespace, pollIntervalMs: 100 }),
      app: 'shop',
      deployment: 'd1',
      mode: 'enforce',
      registry,
      surfaces: [s.orders, s.totals, s.big],
      maintenanceIntervalMs: false,
    });
    // A projector that takes its time, so that two of them read the same cursor before either commits.
    const slowly = async <T>(writes: T): Promise<T> => {
      await new Promise((r) => setTimeout(r, delayMs));
      return writes;
    };
    const totals = rt.project(s.totals, {
      source: s.orders,
      stream: 'all',
      batch,
      project: async (entries, view) => slowly(await totalsOf(entries, view)),
    });
    const big = rt.project(s.big, {
      source: s.orders,
      stream: 'all',
      batch: batch - 1,
      project: (entries) =>
        slowly(entries.filter((e) => e.value.amount >= 10).map((e) => ({ append: e.value.customer, value: e.value }))),
    });
    return { rt, s, totals, big };
  }

  it('catches up, resumes from the committed cursor after a reopen and a kill of the server, and rebuilds to the incremental projection', async () => {
    const namespace = freshNamespace('prj');
    namespaces.push(namespace);
    const one = await runtime(namespace);
    for (let i = 1; i <= 10; i++) await one.rt.use(one.s.orders).append('all', { customer: `c${i % 3}`, amount: i });
    expect(await one.totals.catchUp()).toEqual({ applied: 10, cursor: 10 });
    expect(await one.big.catchUp()).toEqual({ applied: 10, cursor: 10 });
    await one.rt.close();
    // SIGKILL of the server: with appendfsync always every acknowledged commit is in the append-only file.
    await server!.kill();
    await server!.restart();

    const two = await runtime(namespace);
    expect(await two.totals.lag()).toEqual({ cursor: 10, head: 10, lag: 0 });
    for (let i = 11; i <= 15; i++) await two.rt.use(two.s.orders).append('all', { customer: `c${i % 3}`, amount: i });
    expect(await two.totals.catchUp()).toEqual({ applied: 5, cursor: 15 });
    expect(await two.big.catchUp()).toEqual({ applied: 5, cursor: 15 });
    const totals = async () =>
      (await two.rt.use(two.s.totals).list({ limit: 100 })).items.map((r) => [r.key, r.value] as const);
    const incremental = await totals();
    expect(incremental.reduce((n, [, v]) => n + v.total, 0)).toBe((15 * 16) / 2);
    expect(incremental.reduce((n, [, v]) => n + v.orders, 0)).toBe(15);
    expect((await two.rt.use(two.s.big).read('c1', { limit: 100 })).map((e) => e.value.amount)).toEqual([10, 13]);

    expect(await two.totals.rebuild()).toEqual({ applied: 15, cursor: 15 });
    expect(await totals()).toEqual(incremental);
    const lastBefore = (await two.rt.use(two.s.big).info('c1')).last;
    expect(await two.big.rebuild()).toEqual({ applied: 15, cursor: 15 });
    // The rebuilt log holds the same values under new sequences: none is reused.
    const rebuilt = await two.rt.use(two.s.big).read('c1', { after: lastBefore, limit: 100 });
    expect(rebuilt.map((e) => e.value.amount)).toEqual([10, 13]);
    expect(rebuilt[0]!.seq).toBe(lastBefore + 1);
    await two.rt.close();
  }, 60_000);

  it('lets two runtimes on one namespace project together: every entry applied exactly once', async () => {
    const namespace = freshNamespace('prj');
    namespaces.push(namespace);
    const a = await runtime(namespace, { delayMs: 5, batch: 5 });
    const b = await runtime(namespace, { delayMs: 5, batch: 4 });
    for (let i = 1; i <= 40; i++) await a.rt.use(a.s.orders).append('all', { customer: `c${i % 3}`, amount: i });
    await Promise.all([a.totals.catchUp(), b.totals.catchUp(), a.big.catchUp(), b.big.catchUp()]);
    const items = (await b.rt.use(b.s.totals).list({ limit: 10 })).items;
    expect(items.reduce((n, r) => n + r.value.total, 0)).toBe((40 * 41) / 2);
    expect(items.reduce((n, r) => n + r.value.orders, 0)).toBe(40);
    // The log projection shows a double application at once: an entry appended twice.
    const amounts = [];
    for (const c of ['c0', 'c1', 'c2'])
      amounts.push(...(await a.rt.use(a.s.big).read(c, { limit: 100 })).map((e) => e.value.amount));
    expect(amounts.sort((x, y) => x - y)).toEqual(Array.from({ length: 31 }, (_, i) => i + 10));
    await Promise.all([a.rt.close(), b.rt.close()]);
  }, 60_000);
});
