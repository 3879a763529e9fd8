import { afterAll, describe, expect, it } from 'vitest';
import type { LogEvent, Subscription } from '@stateproof/core';
import { binding, PG_AVAILABLE, TestSchemas, withAdmin } from './pg-test-server.js';

const schemas = new TestSchemas();
afterAll(() => schemas.cleanup());

/** The next event, or 'timeout' after `ms`. */
async function next<E>(sub: Subscription<E>, ms: number): Promise<E | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const r = await Promise.race([
    sub.next(),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms))),
  ]);
  clearTimeout(timer);
  return r === 'timeout' ? r : (r.value as E);
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.skipIf(!PG_AVAILABLE)('postgres LISTEN/NOTIFY as wake-up hints', () => {
  it('a tail is woken by NOTIFY at once, and after its LISTEN connection is killed it listens again by itself', async () => {
    // Polling every minute: only a notification can deliver within the test's timeouts.
    const a = await schemas.open({ pollIntervalMs: 60_000 });
    const writer = await schemas.open({ namespace: a.namespace });
    const b = binding('log');
    const log = await writer.openLog(b);
    const sub = await (await a.openLog(b)).subscribe('s', { after: 0 });
    const pending = next<LogEvent>(sub, 3000);
    await until(() => a.listener.connected);
    await log.append('s', ['one']);
    expect(await pending).toMatchObject({ type: 'entry', entry: { seq: 1, value: 'one' } });

    const pid = a.listener.pid;
    const reconnects = a.listener.reconnects;
    await withAdmin((c) => c.query('select pg_terminate_backend($1)', [pid]));
    await until(() => a.listener.reconnects > reconnects && a.listener.connected);
    expect(a.listener.pid).not.toBe(pid);
    await log.append('s', ['two']);
    expect(await next<LogEvent>(sub, 3000)).toMatchObject({ type: 'entry', entry: { seq: 2, value: 'two' } });
    await sub.close();
  });

  it('without notifications (notify: false) tails still see every entry by polling', async () => {
    const a = await schemas.open({ pollIntervalMs: 50, notify: false });
    const log = await a.openLog(binding('log'));
    const sub = await log.subscribe('s', { after: 0 });
    await log.append('s', ['a', 'b']);
    expect(await next<LogEvent>(sub, 2000)).toMatchObject({ entry: { seq: 1 } });
    expect(await next<LogEvent>(sub, 2000)).toMatchObject({ entry: { seq: 2 } });
    await sub.close();
  });

  it('a dataspace subscriber misses nothing while its LISTEN connection is down: the change feed is a table', async () => {
    const a = await schemas.open({ pollIntervalMs: 60_000 });
    const writer = await schemas.open({ namespace: a.namespace });
    const b = binding('dataspace');
    const ds = await writer.openDataspace(b);
    const sub = await (await a.openDataspace(b)).subscribe({ type: 'all' });
    expect(await next(sub, 2000)).toMatchObject({ type: 'snapshot', revision: 0 });
    await until(() => a.listener.connected);
    const reconnects = a.listener.reconnects;
    await withAdmin((c) => c.query('select pg_terminate_backend($1)', [a.listener.pid]));
    const s = await ds.openSession('o', 60_000);
    await ds.assert(s.session, 'during-the-outage', '1');
    await until(() => a.listener.reconnects > reconnects);
    // The reconnection wakes every subscriber to look for itself.
    expect(await next(sub, 3000)).toMatchObject({
      type: 'asserted',
      revision: 1,
      assertion: { id: 'during-the-outage' },
    });
    await sub.close();
  });

  it('a channel delivers across adapter instances, large messages through the payload table, and again after a LISTEN connection is killed, announcing the gap first', async () => {
    const a = await schemas.open();
    const other = await schemas.open({ namespace: a.namespace });
    const b = binding('channel');
    const pub = await other.openChannel(b);
    const sub = await (await a.openChannel(b)).subscribe({ pattern: 'room:*' });
    await pub.publish('room:1', 'hello');
    const big = 'x'.repeat(100_000);
    await pub.publish('room:2', big);
    await pub.publish('lobby', 'not for this subscriber');
    await pub.publish('room:3', 'after');
    expect(await next(sub, 2000)).toMatchObject({ type: 'message', topic: 'room:1', message: 'hello', seq: 1 });
    expect(await next(sub, 2000)).toMatchObject({ type: 'message', topic: 'room:2', message: big, seq: 2 });
    expect(await next(sub, 2000)).toMatchObject({ type: 'message', topic: 'room:3', seq: 4 });
    const reconnects = a.listener.reconnects;
    await withAdmin((c) => c.query('select pg_terminate_backend($1)', [a.listener.pid]));
    await until(() => a.listener.reconnects > reconnects && a.listener.connected);
    await pub.publish('room:4', 'back');
    // What was published while the connection was down is gone, and the subscriber is told (count unknown).
    expect(await next(sub, 3000)).toEqual({ type: 'lagged', dropped: 0 });
    expect(await next(sub, 3000)).toMatchObject({ type: 'message', topic: 'room:4', message: 'back' });
    await sub.close();
  });

  it('a worker waiting for tasks is woken by an enqueue in another process', async () => {
    const a = await schemas.open();
    const other = await schemas.open({ namespace: a.namespace });
    const b = binding('queue');
    const worker = await a.openQueue(b);
    await worker.counters(); // the surface exists before anyone waits
    const t0 = Date.now();
    const woke = worker.waitForTasks(10_000);
    await until(() => a.listener.connected);
    await (await other.openQueue(b)).enqueue({ queue: 'q', payload: 'p' });
    await woke;
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(await worker.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 1000 })).toHaveLength(1);
  });
});
