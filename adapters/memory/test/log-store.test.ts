import { describe, expect, it } from 'vitest';
import type { LogEvent } from '@stateproof/core';
import { guardAdapter } from '@stateproof/core/adapter-kit';
import { binding, setup } from './binding.js';

async function logs(overrides = {}) {
  const { adapter, clock } = setup();
  return { store: await adapter.openLog(binding('log', overrides)), clock, adapter };
}

describe('memory log store', () => {
  it('assigns gap-free sequences from 1 per stream, batches consecutively', async () => {
    const { store } = await logs();
    expect(await store.append('s', ['a'])).toEqual([1]);
    expect(await store.append('s', ['b', 'c', 'd'])).toEqual([2, 3, 4]);
    expect(await store.append('other', ['x'])).toEqual([1]);
    expect((await store.read('s', { after: 0, limit: 10 })).map((e) => [e.seq, e.value])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [4, 'd'],
    ]);
    expect((await store.read('s', { after: 2, limit: 1 })).map((e) => e.seq)).toEqual([3]);
    expect(await store.read('s', { after: 4, limit: 10 })).toEqual([]);
    expect(await store.read('s', { after: 40, limit: 10 })).toEqual([]);
    expect(await store.info('s')).toEqual({ first: 1, last: 4 });
    expect(await store.info('never')).toEqual({ first: null, last: 0 });
  });

  it('retains the newest N and never reuses trimmed sequences', async () => {
    const { store } = await logs({ retention: { maxEntries: 3 } });
    await store.append('s', ['1', '2', '3', '4', '5']);
    expect(await store.info('s')).toEqual({ first: 3, last: 5 });
    expect(await store.append('s', ['6'])).toEqual([6]);
    expect((await store.read('s', { after: 3, limit: 10 })).map((e) => e.seq)).toEqual([4, 5, 6]);
  });

  it('says so when a read starts before the oldest retained entry', async () => {
    const { store } = await logs({ retention: { maxEntries: 2 } });
    await store.append('s', ['1', '2', '3', '4']);
    await expect(store.read('s', { after: 0, limit: 10 })).rejects.toMatchObject({
      code: 'STATEPROOF_LOG_TRIMMED',
      oldest: 3,
      last: 4,
    });
    await expect(store.read('s', { after: 1, limit: 10 })).rejects.toMatchObject({ code: 'STATEPROOF_LOG_TRIMMED' });
    expect((await store.read('s', { after: 2, limit: 10 })).map((e) => e.seq)).toEqual([3, 4]);
  });

  it('trims by age on the injected clock', async () => {
    const { store, clock } = await logs({ retention: { maxAgeMs: 100 } });
    await store.append('s', ['old']);
    clock.advance(60);
    await store.append('s', ['new']);
    clock.advance(40);
    expect(await store.info('s')).toEqual({ first: 2, last: 2 });
    await expect(store.read('s', { after: 0, limit: 10 })).rejects.toMatchObject({
      code: 'STATEPROOF_LOG_TRIMMED',
      oldest: 2,
    });
    clock.advance(60);
    expect(await store.info('s')).toEqual({ first: null, last: 2 });
    await expect(store.read('s', { after: 1, limit: 10 })).rejects.toMatchObject({ oldest: null });
    expect(await store.read('s', { after: 2, limit: 10 })).toEqual([]);
  });

  it('keeps consumer cursors that never move backwards unless reset', async () => {
    const { store } = await logs();
    await store.append('s', ['a', 'b', 'c']);
    expect(await store.getCursor('s', 'c1')).toBe(0);
    await store.commitCursor('s', 'c1', 2);
    await expect(store.commitCursor('s', 'c1', 1)).rejects.toMatchObject({ code: 'STATEPROOF_CURSOR_REGRESSION' });
    await expect(store.commitCursor('s', 'c1', 9)).rejects.toMatchObject({
      code: 'STATEPROOF_INVALID_OPTIONS',
      path: 'seq',
    });
    expect(await store.getCursor('s', 'c1')).toBe(2);
    await store.commitCursor('s', 'c1', 1, { reset: true });
    expect(await store.getCursor('s', 'c1')).toBe(1);
    expect(await store.getCursor('s', 'c2')).toBe(0);
  });

  it('tails a stream without gaps or duplicates, across appends made while waiting', async () => {
    const { store } = await logs();
    await store.append('s', ['a', 'b']);
    const sub = await store.subscribe('s', { after: 1 });
    const got: number[] = [];
    const reader = (async () => {
      for await (const e of sub) {
        if (e.type === 'entry') got.push(e.entry.seq);
        if (got.length === 4) break;
      }
    })();
    await store.append('s', ['c']);
    await store.append('s', ['d', 'e']);
    await reader;
    expect(got).toEqual([2, 3, 4, 5]);
    expect(sub.closed).toBe(true);
  });

  it('announces trimmed entries with one resync, then continues', async () => {
    const { store } = await logs({ retention: { maxEntries: 2 } });
    const sub = await store.subscribe('s', { after: 0 });
    await store.append('s', ['1', '2', '3', '4', '5']);
    const events: LogEvent[] = [];
    for (let i = 0; i < 3; i++) events.push((await sub.next()).value as LogEvent);
    expect(events[0]).toEqual({ type: 'resync', reason: 'trimmed', fromSeq: 1, toSeq: 3 });
    expect(events.slice(1).map((e) => (e.type === 'entry' ? e.entry.seq : -1))).toEqual([4, 5]);
    await sub.close();
  });

  it('ends subscriptions when the adapter closes, and refuses operations after (through the core guard)', async () => {
    const adapter = guardAdapter(setup().adapter);
    const store = await adapter.openLog(binding('log'));
    const sub = await store.subscribe('s', { after: 0 });
    const pending = sub.next();
    await adapter.close();
    expect(await pending).toEqual({ value: undefined, done: true });
    await expect(store.append('s', ['x'])).rejects.toMatchObject({ code: 'STATEPROOF_CLOSED' });
  });
});
