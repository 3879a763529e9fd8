import { describe, expect, it } from 'vitest';
import type { ChannelEvent } from '@stateproof/core';
import { binding, setup } from './binding.js';

describe('memory channel store', () => {
  it('fans out to every live subscriber on every adapter sharing the backend, in publish order', async () => {
    const { adapter, backend } = setup();
    const replica = setup({ backend }).adapter;
    const pub = await adapter.openChannel(binding('channel'));
    const subA = await (await adapter.openChannel(binding('channel'))).subscribe({ topic: 'room:1' });
    const subB = await (await replica.openChannel(binding('channel'))).subscribe({ pattern: 'room:*' });
    const other = await (await replica.openChannel(binding('channel'))).subscribe({ topic: 'room:2' });
    for (let i = 1; i <= 3; i++) await pub.publish('room:1', `m${i}`);
    for (const sub of [subA, subB]) {
      const got: ChannelEvent[] = [];
      for (let i = 0; i < 3; i++) got.push((await sub.next()).value as ChannelEvent);
      expect(got.map((e) => (e.type === 'message' ? [e.message, e.seq, e.publisher] : e))).toEqual(
        [1, 2, 3].map((n) => [`m${n}`, n, pub.publisherId]),
      );
    }
    await pub.publish('room:2', 'x');
    expect(((await other.next()).value as ChannelEvent & { type: 'message' }).message).toBe('x');
  });

  it('delivers nothing published before the subscription, and nothing after close', async () => {
    const { adapter } = setup();
    const ch = await adapter.openChannel(binding('channel'));
    await ch.publish('t', 'before');
    const sub = await ch.subscribe({ topic: 't' });
    await ch.publish('t', 'after');
    expect(((await sub.next()).value as ChannelEvent & { type: 'message' }).message).toBe('after');
    await sub.close();
    await ch.publish('t', 'closed');
    expect(await sub.next()).toEqual({ value: undefined, done: true });
  });

  it('drops for a full subscriber and says how many, before the next message', async () => {
    const { adapter } = setup();
    const ch = await adapter.openChannel(binding('channel'));
    const sub = await ch.subscribe({ topic: 't' }, { bufferSize: 2 });
    for (let i = 1; i <= 5; i++) await ch.publish('t', `m${i}`);
    const drained = [(await sub.next()).value, (await sub.next()).value] as ChannelEvent[];
    expect(drained.map((e) => e.type === 'message' && e.message)).toEqual(['m1', 'm2']);
    await ch.publish('t', 'm6');
    expect((await sub.next()).value).toEqual({ type: 'lagged', dropped: 3 });
    expect(((await sub.next()).value as ChannelEvent & { type: 'message' }).message).toBe('m6');
  });

  it('keeps channels of different spaces apart', async () => {
    const { adapter } = setup();
    const a = await adapter.openChannel(binding('channel'));
    const b = await adapter.openChannel(binding('channel', { space: 'sp1:test:a:app:other:' }));
    const sub = await b.subscribe({ pattern: '*' });
    await a.publish('t', 'x');
    await b.publish('t', 'y');
    expect(((await sub.next()).value as ChannelEvent & { type: 'message' }).message).toBe('y');
  });
});
