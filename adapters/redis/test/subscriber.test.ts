import { afterAll, describe, expect, it } from 'vitest';
import { withRedisAdmin, connectionIdsNamed } from '@stateproof/adapter-redis/conformance';
import { REDIS_AVAILABLE, REDIS_URL, TestNamespaces } from './redis-test-server.js';

const spaces = new TestNamespaces();
afterAll(() => spaces.cleanup());

const until = async (what: string, check: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe.skipIf(!REDIS_AVAILABLE)('the pub/sub connection of an adapter', () => {
  it('delivers messages, and after its connection is killed, subscribes again and tells every handler (null)', async () => {
    const adapter = await spaces.open();
    const channel = adapter.ns.fixed(`test-wake-${adapter.instance}`);
    const got: Array<string | null> = [];
    const l = adapter.subscriber.listen(channel, (p) => got.push(p));
    await l.ready;
    await withRedisAdmin(REDIS_URL, (c) => c.publish(channel, 'one'));
    await until('the first message', () => got.includes('one'));
    await withRedisAdmin(REDIS_URL, async (c) => {
      const ids = await connectionIdsNamed(c, adapter.connectionName('sub'));
      expect(ids).toHaveLength(1);
      for (const id of ids) await c.client('KILL', 'ID', id);
    });
    await until('the reconnection', () => got.includes(null));
    expect(adapter.subscriber.reconnects).toBe(1);
    await withRedisAdmin(REDIS_URL, (c) => c.publish(channel, 'two'));
    await until('a message after the reconnection', () => got.includes('two'));
    l.close();
    await withRedisAdmin(REDIS_URL, (c) => c.publish(channel, 'three'));
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual(['one', null, 'two']);
  });
});
