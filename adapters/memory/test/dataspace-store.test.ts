import { describe, expect, it } from 'vitest';
import type { DataspaceEvent } from '@stateproof/core';
import { binding, setup } from './binding.js';

async function dataspace() {
  const { adapter, clock, backend } = setup();
  return { store: await adapter.openDataspace(binding('dataspace')), clock, backend, adapter };
}

const summary = (e: DataspaceEvent) =>
  e.type === 'snapshot'
    ? `snapshot@${e.revision}:${e.assertions.map((a) => a.id).join(',')}`
    : e.type === 'asserted'
      ? `+${e.assertion.id}@${e.revision}`
      : e.type === 'retracted'
        ? `-${e.id}@${e.revision}(${e.reason})`
        : 'resync';

describe('memory dataspace store', () => {
  it('lets only the owning session overwrite or retract, and a refusal changes nothing', async () => {
    const { store } = await dataspace();
    const a = (await store.openSession('alice', 1000)).session;
    const b = (await store.openSession('bob', 1000)).session;
    const r1 = await store.assert(a, 'route', 'a1');
    await expect(store.assert(b, 'route', 'b1')).rejects.toMatchObject({ code: 'STATEPROOF_OWNERSHIP' });
    await expect(store.retract(b, 'route')).rejects.toMatchObject({ code: 'STATEPROOF_OWNERSHIP' });
    expect(await store.get('route')).toMatchObject({ value: 'a1', owner: 'alice', revision: r1.revision });
    const r2 = await store.assert(a, 'route', 'a2');
    expect(r2.revision).toBeGreaterThan(r1.revision);
    expect(await store.retract(a, 'route')).toEqual({ revision: r2.revision + 1 });
    expect(await store.retract(a, 'route')).toBeNull();
    await expect(store.assert('nope', 'x', 'v')).rejects.toMatchObject({ code: 'STATEPROOF_NOT_FOUND' });
  });

  it('retracts everything of a closed session exactly once, leaving others', async () => {
    const { store } = await dataspace();
    const sub = await store.subscribe({ type: 'all' });
    const a = (await store.openSession('alice', 1000)).session;
    const b = (await store.openSession('bob', 1000)).session;
    await store.assert(a, 'x', '1');
    await store.assert(a, 'y', '2');
    await store.assert(b, 'z', '3');
    expect(await store.closeSession(a)).toEqual({ retracted: 2 });
    expect(await store.closeSession(a)).toEqual({ retracted: 0 });
    await expect(store.assert(a, 'w', '4')).rejects.toMatchObject({ code: 'STATEPROOF_SESSION_EXPIRED' });
    expect((await store.list({ type: 'all' })).assertions.map((x) => x.id)).toEqual(['z']);
    const events: string[] = [];
    for (let i = 0; i < 6; i++) events.push(summary((await sub.next()).value as DataspaceEvent));
    expect(events).toEqual(['snapshot@0:', '+x@1', '+y@2', '+z@3', '-x@4(closed)', '-y@5(closed)']);
    await sub.close();
  });

  it('retracts an expired session through the reaper, and frees its ids for others', async () => {
    const { store, clock } = await dataspace();
    const a = (await store.openSession('alice', 100)).session;
    await store.assert(a, 'x', '1');
    clock.advance(50);
    await store.heartbeat(a, 100);
    clock.advance(99);
    expect((await store.get('x'))?.owner).toBe('alice');
    clock.advance(1);
    expect(await store.reap()).toEqual({ expired: 1, retracted: 1 });
    expect(await store.reap()).toEqual({ expired: 0, retracted: 0 });
    await expect(store.heartbeat(a, 100)).rejects.toMatchObject({ code: 'STATEPROOF_SESSION_EXPIRED' });
    const b = (await store.openSession('bob', 100)).session;
    await store.assert(b, 'x', '2');
    const c = (await store.openSession('carol', 1000)).session;
    clock.advance(100);
    // Bob is dead but not yet reaped: Carol's assert reaps him first, then succeeds.
    await store.assert(c, 'x', '3');
    expect(await store.get('x')).toMatchObject({ value: '3', owner: 'carol' });
  });

  it('streams after the snapshot with no gap and no duplicate', async () => {
    const { store } = await dataspace();
    const s = (await store.openSession('alice', 1000)).session;
    await store.assert(s, 'a', '1');
    await store.assert(s, 'b', '1');
    const sub = await store.subscribe({ type: 'prefix', prefix: 'a' });
    await store.assert(s, 'a', '2');
    await store.assert(s, 'b', '2');
    await store.assert(s, 'ab', '1');
    const events: string[] = [];
    for (let i = 0; i < 3; i++) events.push(summary((await sub.next()).value as DataspaceEvent));
    expect(events).toEqual(['snapshot@2:a', '+a@3', '+ab@5']);
  });

  it('matches exact, prefix and glob filters literally otherwise', async () => {
    const { store } = await dataspace();
    const s = (await store.openSession('o', 1000)).session;
    for (const id of ['route:/a', 'route:/b/c', 'route*', 'r?ute', 'other']) await store.assert(s, id, 'v');
    const ids = async (f: Parameters<typeof store.list>[0]) => (await store.list(f)).assertions.map((a) => a.id);
    expect(await ids({ type: 'exact', id: 'route*' })).toEqual(['route*']);
    expect(await ids({ type: 'prefix', prefix: 'route*' })).toEqual(['route*']);
    expect(await ids({ type: 'glob', pattern: 'route:/*' })).toEqual(['route:/a', 'route:/b/c']);
    expect(await ids({ type: 'glob', pattern: 'r?ute*' })).toEqual(['r?ute', 'route*', 'route:/a', 'route:/b/c']);
    expect(await ids({ type: 'glob', pattern: 'r\\?ute' })).toEqual(['r?ute']);
  });

  it('resyncs a lagging subscriber with a fresh snapshot instead of dropping changes', async () => {
    const { store } = await dataspace();
    const s = (await store.openSession('o', 1000)).session;
    const sub = await store.subscribe({ type: 'all' }, { bufferSize: 3 });
    for (let i = 0; i < 10; i++) await store.assert(s, `k${i}`, String(i));
    const first = (await sub.next()).value as DataspaceEvent;
    expect(first.type).toBe('resync');
    const snap = (await sub.next()).value as DataspaceEvent;
    expect(snap.type === 'snapshot' && snap.assertions.length).toBeGreaterThanOrEqual(8);
    const rest: string[] = [];
    await store.assert(s, 'after', 'x');
    for (;;) {
      const e = (await sub.next()).value as DataspaceEvent;
      rest.push(summary(e));
      if (e.type === 'asserted' && e.assertion.id === 'after') break;
    }
    // Everything after the fresh snapshot has a greater revision: nothing is delivered twice.
    const snapRevision = snap.type === 'snapshot' ? snap.revision : -1;
    const later = rest.map((r) => Number(r.split('@')[1]?.replace(/\(.*$/, '')));
    expect(later.every((rev) => rev > snapRevision)).toBe(true);
    expect(rest[rest.length - 1]).toBe('+after@11');
  });

  it('shares sessions across adapters on one backend', async () => {
    const { store, backend } = await dataspace();
    const other = await setup({ backend }).adapter.openDataspace(binding('dataspace'));
    const sub = await other.subscribe({ type: 'exact', id: 'x' });
    const a = (await store.openSession('alice', 1000)).session;
    await store.assert(a, 'x', 'v');
    expect(summary((await sub.next()).value as DataspaceEvent)).toBe('snapshot@0:');
    expect(summary((await sub.next()).value as DataspaceEvent)).toBe('+x@1');
  });
});
