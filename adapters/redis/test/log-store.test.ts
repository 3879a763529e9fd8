import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { surfaceBase, type RedisAdapter } from '@stateproof/adapter-redis';
import { connectionIdsNamed, withRedisAdmin, type RedisServer } from '@stateproof/adapter-redis/conformance';
import type { LogBinding, LogEvent, LogStore, Subscription } from '@stateproof/core/adapter-kit';
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

async function openLog(
  adapter: RedisAdapter,
  retention?: LogBinding['retention'],
): Promise<{ store: LogStore; keys: (stream: string) => { meta: string; entries: string; cursors: string } }> {
  const b = binding('log', adapter.namespace, retention ? { retention } : {});
  const base = surfaceBase(b.space, adapter.namespace);
  return {
    store: await adapter.openLog(b),
    keys: (stream) => ({
      meta: `${base}lm\u001f${stream}`,
      entries: `${base}ls\u001f${stream}`,
      cursors: `${base}lc\u001f${stream}`,
    }),
  };
}

const admin = <T>(fn: (c: Redis) => Promise<T>, url = REDIS_URL) => withRedisAdmin(url, fn);

async function failure(p: Promise<unknown>): Promise<{ code?: string; oldest?: unknown; last?: unknown }> {
  try {
    await p;
  } catch (error) {
    return error as { code?: string };
  }
  throw new Error('expected a failure');
}

/** Reads a subscription with timeouts; a read that timed out keeps its pending next() for the following one. */
class Reader {
  private pending: Promise<IteratorResult<LogEvent>> | undefined;
  constructor(readonly sub: Subscription<LogEvent>) {}
  async read(ms: number): Promise<LogEvent | 'timeout'> {
    this.pending ??= this.sub.next();
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([
      this.pending,
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms))),
    ]);
    clearTimeout(timer);
    if (r === 'timeout') return r;
    this.pending = undefined;
    if (r.done) throw new Error('the subscription ended');
    return r.value;
  }
}

const seqs = (events: readonly (LogEvent | 'timeout')[]) =>
  events.map((e) => (e === 'timeout' ? e : e.type === 'entry' ? e.entry.seq : `resync ${e.fromSeq}-${e.toSeq}`));

describe.skipIf(!REDIS_AVAILABLE)('the redis log store', () => {
  it('keeps the high-water mark when retention trimmed the whole stream, and never hands a sequence out twice', async () => {
    const clock = settableClock();
    const adapter = await spaces.open({ clock });
    const { store, keys } = await openLog(adapter, { maxEntries: 2, maxAgeMs: 100 });
    const k = keys('s');
    expect(await store.append('s', ['1', '2', '3', '4', '5'])).toEqual([1, 2, 3, 4, 5]);
    // Trimmed by count in the same script: the stream itself holds only the newest two.
    expect(await admin((c) => c.xlen(k.entries))).toBe(2);
    clock.t += 100;
    // Aged out by the read's own judgement, before any append removed them.
    expect(await admin((c) => c.xlen(k.entries))).toBe(2);
    expect(await store.info('s')).toEqual({ first: null, last: 5 });
    const gone = await failure(store.read('s', { after: 3, limit: 10 }));
    expect([gone.code, gone.oldest, gone.last]).toEqual(['STATEPROOF_LOG_TRIMMED', null, 5]);
    expect(await store.read('s', { after: 5, limit: 10 })).toEqual([]);
    expect(await store.append('s', ['6'])).toEqual([6]);
    const raw = await admin(async (c) => ({
      ids: (await c.xrange(k.entries, '-', '+')).map(([id]) => id),
      meta: await c.hgetall(k.meta),
    }));
    expect(raw).toEqual({ ids: ['0-6'], meta: { last: '6', at: String(clock.t) } });
    expect(await store.read('s', { after: 5, limit: 10 })).toEqual([{ seq: 6, value: '6', at: clock.t }]);
  });

  it('stamps an append no earlier than the one before it when the clock steps back, so age trims a prefix', async () => {
    const clock = settableClock(1_000_000);
    const adapter = await spaces.open({ clock });
    const { store } = await openLog(adapter, { maxAgeMs: 50 });
    await store.append('s', ['a']);
    clock.t = 999_900;
    await store.append('s', ['b']);
    expect((await store.read('s', { after: 0, limit: 10 })).map((e) => e.at)).toEqual([1_000_000, 1_000_000]);
    clock.t = 1_000_049;
    expect(await store.info('s')).toEqual({ first: 1, last: 2 });
    clock.t = 1_000_050;
    expect(await store.info('s')).toEqual({ first: null, last: 2 });
  });

  it('finds the oldest entry retained by age in a long stream (binary search over instants)', async () => {
    const clock = settableClock();
    const adapter = await spaces.open({ clock });
    const { store, keys } = await openLog(adapter, { maxAgeMs: 1000 });
    const start = clock.t;
    for (let i = 0; i < 100; i++) {
      await store.append('s', [String(i)]);
      clock.t += 10;
    }
    // Entry n was appended at start + 10 (n - 1); at start + 1500 those at or before start + 500 are gone.
    clock.t = start + 1500;
    expect(await store.info('s')).toEqual({ first: 52, last: 100 });
    expect((await store.read('s', { after: 51, limit: 2 })).map((e) => e.seq)).toEqual([52, 53]);
    expect((await failure(store.read('s', { after: 50, limit: 2 }))).code).toBe('STATEPROOF_LOG_TRIMMED');
    await store.append('s', ['x']);
    expect(await admin((c) => c.xlen(keys('s').entries))).toBe(50);
  });

  it('keeps streams whose names hold { } * ? [ \\ : or look like a key of their own apart', async () => {
    const adapter = await spaces.open();
    const { store } = await openLog(adapter);
    const names = ['a', 'a{b}', '{a}', '*', 'a:b', 'a?[x]\\', 'lm:a', 'wake', 'é:😀'.repeat(73)];
    for (const [i, name] of names.entries()) {
      await store.append(name, [`v${i}`]);
      await store.commitCursor(name, `c:{${i}}*`, 1);
    }
    for (const [i, name] of names.entries()) {
      expect((await store.read(name, { after: 0, limit: 10 })).map((e) => e.value)).toEqual([`v${i}`]);
      expect(await store.getCursor(name, `c:{${i}}*`)).toBe(1);
      expect(await store.getCursor(name, `c:{${i + 1}}*`)).toBe(0);
    }
    const other = await spaces.open();
    expect(await (await openLog(other)).store.info('a{b}')).toEqual({ first: null, last: 0 });
  });

  it('commits cursors forward only, refuses one beyond the last sequence, and moves back only on reset', async () => {
    const adapter = await spaces.open();
    const { store, keys } = await openLog(adapter);
    await store.append('s', ['1', '2', '3']);
    await store.commitCursor('s', 'c', 2);
    expect(await failure(store.commitCursor('s', 'c', 4))).toMatchObject({ code: 'STATEPROOF_INVALID_OPTIONS' });
    expect(await failure(store.commitCursor('s', 'c', 1))).toMatchObject({ code: 'STATEPROOF_CURSOR_REGRESSION' });
    expect(await store.getCursor('s', 'c')).toBe(2);
    await store.commitCursor('s', 'c', 2);
    await store.commitCursor('s', 'c', 0, { reset: true });
    expect(await store.getCursor('s', 'c')).toBe(0);
    await store.commitCursor('s', 'c', 3);
    expect(await admin((c) => c.hgetall(keys('s').cursors))).toEqual({ c: '3' });
    // Another instance (another process) reads the same durable cursor.
    expect(await (await openLog(await spaces.open({ namespace: adapter.namespace }))).store.getCursor('s', 'c')).toBe(
      3,
    );
  });

  it('announces entries trimmed before a tail read them with one resync, then goes on without a gap', async () => {
    const adapter = await spaces.open();
    const { store } = await openLog(adapter, { maxEntries: 2 });
    await store.append('s', ['1', '2', '3', '4', '5']);
    const sub = new Reader(await store.subscribe('s', { after: 1 }));
    const events = [await sub.read(2000), await sub.read(2000), await sub.read(2000)];
    expect(seqs(events)).toEqual(['resync 2-3', 4, 5]);
    await store.append('s', ['6']);
    expect(seqs([await sub.read(2000)])).toEqual([6]);
    await sub.sub.close();
  });

  it("wakes a parked tail by another instance's PUBLISH, and after its pub/sub connection was cut, without polling", async () => {
    // Polling every minute: anything sooner came from a wake-up.
    const reader = await spaces.open({ pollIntervalMs: 60_000 });
    const writer = await spaces.open({ namespace: reader.namespace, pollIntervalMs: 60_000 });
    const tail = (await openLog(reader)).store;
    const w = (await openLog(writer)).store;
    const sub = new Reader(await tail.subscribe('s', { after: 0 }));
    const first = sub.read(3000);
    await new Promise((r) => setTimeout(r, 50)); // the tail has read nothing and is parked
    await w.append('s', ['1']);
    expect(seqs([await first])).toEqual([1]);
    // An append to another stream of the surface does not deliver anything to this tail.
    await w.append('other', ['x']);
    expect(await sub.read(200)).toBe('timeout');
    // Cut the tail's pub/sub connection and append while it is down: the message is lost, but the
    // subscriber tells every handler (null) when it is back, and the tail reads.
    const pending = sub.read(5000);
    await admin(async (c) => {
      const ids = await connectionIdsNamed(c, reader.connectionName('sub'));
      expect(ids).toHaveLength(1);
      await c.client('KILL', 'ID', ids[0] as string);
    });
    await w.append('s', ['2']);
    expect(seqs([await pending])).toEqual([2]);
    expect(reader.subscriber.reconnects).toBe(1);
    await sub.sub.close();
  });
});

describe.skipIf(!OWN_SERVER_AVAILABLE)('the redis log store on a server of its own', () => {
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

  it('keeps sequences and cursors through a kill -9 of the server, also for a stream retention emptied', async () => {
    const clock = settableClock();
    const a = await own.open({ clock });
    const { store } = await openLog(a, { maxAgeMs: 10 });
    await store.append('s', ['1', '2', '3']);
    await store.commitCursor('s', 'c', 3);
    clock.t += 10;
    await store.append('s', ['4']);
    clock.t += 10;
    expect(await store.info('s')).toEqual({ first: null, last: 4 });
    await a.close();
    await server.kill();
    await server.restart();
    const b = await own.open({ namespace: a.namespace, clock });
    const again = (await openLog(b, { maxAgeMs: 10 })).store;
    expect(await again.info('s')).toEqual({ first: null, last: 4 });
    expect(await again.getCursor('s', 'c')).toBe(3);
    expect(await again.append('s', ['5'])).toEqual([5]);
    await own.cleanup();
  });

  it('writes every key under the namespace hash tag, whatever the stream and consumer names hold', async () => {
    const adapter = await own.open({ namespace: 'ns{x}*:?' });
    const { store } = await openLog(adapter, { maxEntries: 1 });
    for (const name of ['}', '{', '*', 'a:b', '\\', '{sp1:other}']) {
      await store.append(name, ['1', '2']);
      await store.commitCursor(name, '{c}', 1);
      await store.read(name, { after: 1, limit: 5 });
    }
    const keys = await admin((c) => c.keys('*'), server.url);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => !key.startsWith(adapter.ns.tag))).toEqual([]);
    expect(adapter.ns.tag).toBe('{sp1:ns%7Bx%7D%2A%3A%3F}');
  });
});
