import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@stateproof/core';
import { binding, PG_AVAILABLE, TestSchemas } from './pg-test-server.js';

const schemas = new TestSchemas();
afterAll(() => schemas.cleanup());

describe.skipIf(!PG_AVAILABLE)('smoke', () => {
  it('record', async () => {
    const a = await schemas.open();
    const r = await a.openRecord(binding('record'));
    const p = await r.put('k', 'v1');
    expect(await r.get('k')).toMatchObject({ value: 'v1', version: p.version });
    await expect(r.put('k', 'x', { ifAbsent: true })).rejects.toMatchObject({ code: 'STATEPROOF_VERSION_CONFLICT', current: p.version });
    const p2 = await r.put('k', 'v2', { ifVersion: p.version });
    expect(p2.version).toBeGreaterThan(p.version);
    expect((await r.list({ prefix: '', limit: 10 })).entries.map((e) => e.key)).toEqual(['k']);
    expect(await r.delete('k')).toBe(true);
    console.log(await a.probe());
  });
  it('log', async () => {
    const a = await schemas.open();
    const l = await a.openLog(binding('log', { retention: { maxEntries: 3 } }));
    expect(await l.append('s', ['a', 'b'])).toEqual([1, 2]);
    expect(await l.append('s', ['c', 'd'])).toEqual([3, 4]);
    expect((await l.read('s', { after: 1, limit: 10 })).map((e) => e.value)).toEqual(['b', 'c', 'd']);
    await expect(l.read('s', { after: 0, limit: 10 })).rejects.toMatchObject({ code: 'STATEPROOF_LOG_TRIMMED' });
    await l.commitCursor('s', 'c', 3);
    await expect(l.commitCursor('s', 'c', 2)).rejects.toMatchObject({ code: 'STATEPROOF_CURSOR_REGRESSION' });
    const sub = await l.subscribe('s', { after: 2 });
    expect((await sub.next()).value).toMatchObject({ type: 'entry', entry: { seq: 3 } });
    expect((await sub.next()).value).toMatchObject({ type: 'entry', entry: { seq: 4 } });
    const n = sub.next();
    await l.append('s', ['e']);
    expect((await n).value).toMatchObject({ type: 'entry', entry: { seq: 5, value: 'e' } });
    await sub.close();
  });
  it('claim', async () => {
    const clock = new ManualClock();
    const a = await schemas.open({ clock });
    const c = await a.openClaim(binding('claim'));
    const r = await c.acquire('k', 'o', 100);
    expect(r).toMatchObject({ status: 'acquired', token: 1, takeover: false });
    expect(await c.acquire('k', 'p', 100)).toMatchObject({ status: 'held', holder: 'o' });
    clock.advance(100);
    expect(await c.acquire('k', 'p', 100)).toMatchObject({ status: 'acquired', token: 2, takeover: true });
    await expect(c.complete('k', 1, 'r')).rejects.toMatchObject({ code: 'STATEPROOF_LEASE_LOST' });
    await c.complete('k', 2, 'r');
    expect(await c.acquire('k', 'q', 100)).toMatchObject({ status: 'completed', result: 'r', holder: 'p' });
  });
  it('queue', async () => {
    const clock = new ManualClock();
    const a = await schemas.open({ clock, random: () => 0.5 });
    const q = await a.openQueue(binding('queue', { attemptHistory: 2 }));
    const t1 = await q.enqueue({ queue: 'q', payload: 'p1' });
    const t2 = await q.enqueue({ queue: 'q', payload: 'p2', priority: 5, idempotencyKey: 'k' });
    expect(await q.enqueue({ queue: 'q', payload: 'p3', idempotencyKey: 'k' })).toEqual({ id: t2.id, deduped: true });
    const claimed = await q.claim({ worker: 'w', queues: [], limit: 10, leaseMs: 100 });
    expect(claimed.map((t) => t.id)).toEqual([t2.id, t1.id]);
    await q.complete(t2.id, claimed[0]!.token, 'done');
    expect(await q.fail(t1.id, claimed[1]!.token, 'boom')).toMatchObject({ state: 'queued' });
    clock.advance(5000);
    const [again] = await q.claim({ worker: 'w', queues: [], limit: 10, leaseMs: 100 });
    expect(again?.attempt).toBe(2);
    clock.advance(100);
    expect(await q.reap()).toEqual({ lost: 1, timedOut: 0, requeued: 1, failed: 0, canceled: 0 });
    expect(await q.get(t1.id)).toMatchObject({ state: 'queued', attempts: 2 });
    expect((await q.get(t1.id))!.history.map((h) => h.outcome)).toEqual(['failed', 'lost']);
    expect(await q.get(t2.id)).toMatchObject({ state: 'succeeded', result: 'done' });
    expect(await q.counters()).toEqual({ queued: 1, running: 0, succeeded: 1, failed: 0, canceled: 0, lost: 1 });
    expect(await q.cancel(t1.id)).toEqual({ state: 'canceled', cancelRequested: false });
  });
  it('dataspace', async () => {
    const a = await schemas.open();
    const d = await a.openDataspace(binding('dataspace'));
    const s1 = await d.openSession('a', 10_000);
    const s2 = await d.openSession('b', 10_000);
    const sub = await d.subscribe({ type: 'prefix', prefix: 'r' });
    expect((await sub.next()).value).toMatchObject({ type: 'snapshot', revision: 0, assertions: [] });
    expect(await d.assert(s1.session, 'r1', 'x')).toEqual({ revision: 1 });
    await expect(d.assert(s2.session, 'r1', 'y')).rejects.toMatchObject({ code: 'STATEPROOF_OWNERSHIP' });
    expect((await sub.next()).value).toMatchObject({ type: 'asserted', revision: 1 });
    expect(await d.closeSession(s1.session)).toEqual({ retracted: 1 });
    expect((await sub.next()).value).toMatchObject({ type: 'retracted', revision: 2, reason: 'closed' });
    expect((await d.list({ type: 'glob', pattern: 'r?' })).assertions).toEqual([]);
    await sub.close();
  });
  it('channel', async () => {
    const a = await schemas.open();
    const b = await schemas.open({ namespace: a.namespace });
    const pub = await a.openChannel(binding('channel'));
    const sub = await (await b.openChannel(binding('channel'))).subscribe({ pattern: 't*' });
    await pub.publish('t1', 'small');
    await pub.publish('t2', 'x'.repeat(20_000));
    expect((await sub.next()).value).toMatchObject({ type: 'message', topic: 't1', message: 'small', seq: 1 });
    expect((await sub.next()).value).toMatchObject({ type: 'message', topic: 't2', seq: 2 });
    await sub.close();
  });
});
