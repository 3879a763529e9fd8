import { afterAll, describe, expect, it } from 'vitest';
import type { ChannelEvent, ChannelStore } from '@stateproof/core/adapter-kit';
import type { RedisAdapter } from '@stateproof/adapter-redis';
import { connectionIdsNamed, withRedisAdmin } from '@stateproof/adapter-redis/conformance';
import { scopedSpace } from '@stateproof/core';
import { Reader } from './subscription-reader.js';
import { binding, REDIS_AVAILABLE, REDIS_URL, TestNamespaces } from './redis-test-server.js';

const spaces = new TestNamespaces();
afterAll(() => spaces.cleanup());

const messages = (events: ChannelEvent[]) => events.map((e) => (e.type === 'message' ? e.message : `lagged`));

async function channelOf(adapter: RedisAdapter, surface = 'test.channel'): Promise<ChannelStore> {
  // The binding's space is what separates surfaces: built by core from the scope and the surface id.
  const space = scopedSpace({ namespace: adapter.namespace, app: 'app', deployment: 'd1' }, 'app', surface);
  return adapter.openChannel(binding('channel', adapter.namespace, { surfaceId: surface, space }));
}

describe.skipIf(!REDIS_AVAILABLE)('the redis channel store', () => {
  it('a subscriber on another instance receives what is published after subscribe resolved, in order, exact and by pattern', async () => {
    const a = await spaces.open();
    const b = await spaces.open({ namespace: a.namespace });
    const pub = await channelOf(a);
    const exact = new Reader(await (await channelOf(b)).subscribe({ topic: 'room/{1}' }));
    const pattern = new Reader(await (await channelOf(b)).subscribe({ pattern: 'room/\\{?}' }));
    const all = new Reader(await (await channelOf(b)).subscribe({ pattern: '*' }));
    // Not awaited one by one: publishes pipeline and still arrive in order.
    await Promise.all([
      pub.publish('room/{1}', 'm1'),
      pub.publish('room/{2}', 'm2'),
      pub.publish('room/*', 'm3'),
      pub.publish('room/{1}', 'm4'),
    ]);
    const got = await all.drain(1000);
    expect(got).toEqual(
      ['m1', 'm2', 'm3', 'm4'].map((m, i) => ({
        type: 'message',
        topic: ['room/{1}', 'room/{2}', 'room/*', 'room/{1}'][i],
        message: m,
        publisher: pub.publisherId,
        seq: i + 1,
      })),
    );
    expect(messages(await exact.drain())).toEqual(['m1', 'm4']);
    expect(messages(await pattern.drain())).toEqual(['m1', 'm2', 'm4']);
    // No user pattern reaches the server: the namespace has exactly one pub/sub channel per surface.
    await withRedisAdmin(REDIS_URL, async (client) => {
      const channels = (await client.pubsub('CHANNELS', `${a.ns.tag}*`)) as string[];
      expect(channels.filter((c) => c.endsWith('channel'))).toHaveLength(1);
    });
  });

  it('a subscription made on an instance that already listens gets nothing published before it', async () => {
    const a = await spaces.open();
    const b = await spaces.open({ namespace: a.namespace });
    const pub = await channelOf(a);
    const store = await channelOf(b);
    const first = new Reader(await store.subscribe({ topic: 't' }));
    for (let round = 0; round < 5; round++) {
      // A burst not yet read by b's pub/sub connection when the next subscription opens.
      await Promise.all(Array.from({ length: 50 }, (_, i) => pub.publish('t', `before-${round}-${i}`)));
      const late = new Reader(await store.subscribe({ topic: 't' }));
      await pub.publish('t', `after-${round}`);
      // The first thing it gets is the message published after it was live; nothing else comes.
      expect(await late.next()).toMatchObject({ type: 'message', message: `after-${round}` });
      expect(await late.drain(100)).toEqual([]);
      await late.close();
    }
    expect((await first.drain(1000)).length).toBe(255);
  });

  it('a subscriber with a full buffer loses messages and is told how many, before the next one it receives', async () => {
    const a = await spaces.open();
    const ch = await channelOf(a);
    const slow = new Reader(await ch.subscribe({ topic: 't' }, { bufferSize: 3 }));
    // A subscriber with room beside it: once it has m8, the slow one was offered m8 too.
    const ample = new Reader(await ch.subscribe({ topic: 't' }));
    for (let i = 1; i <= 8; i++) await ch.publish('t', `m${i}`);
    for (let i = 1; i <= 8; i++) expect(await ample.next()).toMatchObject({ message: `m${i}` });
    expect(messages(await slow.drain(100))).toEqual(['m1', 'm2', 'm3']);
    await ch.publish('t', 'm9');
    expect(await slow.drain(1000)).toMatchObject([
      { type: 'lagged', dropped: 5 },
      { type: 'message', message: 'm9' },
    ]);
  });

  it('after its pub/sub connection is killed, a subscriber gets lagged and then receives again, each message once', async () => {
    const a = await spaces.open();
    const b = await spaces.open({ namespace: a.namespace });
    const pub = await channelOf(a);
    const sub = new Reader(await (await channelOf(b)).subscribe({ topic: 't' }));
    await pub.publish('t', 'one');
    expect(await sub.next()).toMatchObject({ type: 'message', message: 'one' });
    await withRedisAdmin(REDIS_URL, async (client) => {
      const ids = await connectionIdsNamed(client, b.connectionName('sub'));
      expect(ids).toHaveLength(1);
      for (const id of ids) await client.client('KILL', 'ID', id);
    });
    // Gone while the connection was down (at most once): announced, never replayed.
    await pub.publish('t', 'while-down').catch(() => undefined);
    expect(await sub.next()).toEqual({ type: 'lagged', dropped: 0 });
    expect(b.subscriber.reconnects).toBe(1);
    await pub.publish('t', 'two');
    const rest = messages(await sub.drain(1000));
    expect(rest.filter((m) => m === 'two')).toEqual(['two']);
    expect(rest.filter((m) => m !== 'two' && m !== 'while-down')).toEqual([]);
    await sub.close();
    expect(await sub.next()).toBe('done');
  });

  it('a message published on one surface or namespace never reaches another, whatever its topic', async () => {
    const a = await spaces.open();
    const other = await spaces.open();
    const topic = '{sp1:x}\u00a0*?[\\:😀';
    const here = new Reader(await (await channelOf(a)).subscribe({ pattern: '*' }));
    const neighbour = new Reader(await (await channelOf(a, 'test.channel-2')).subscribe({ pattern: '*' }));
    const elsewhere = new Reader(await (await channelOf(other)).subscribe({ pattern: '*' }));
    await (await channelOf(a)).publish(topic, 'x');
    expect(await here.drain(1000)).toMatchObject([{ type: 'message', topic, message: 'x' }]);
    expect(await neighbour.drain(100)).toEqual([]);
    expect(await elsewhere.drain(100)).toEqual([]);
  });
});
