import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { RecordStore } from '@stateproof/core';
import { RedisServer } from '@stateproof/adapter-redis/conformance';
import { binding, OWN_SERVER_AVAILABLE, TestNamespaces } from './redis-test-server.js';

// Every test here reconfigures or restarts its server, so each runs on servers of its own.
describe.skipIf(!OWN_SERVER_AVAILABLE)('a Redis server that refuses or loses a command', () => {
  let server: RedisServer;
  let admin: Redis;
  const spaces = new TestNamespaces();
  const servers: RedisServer[] = [];
  const proxies: ReplyDroppingProxy[] = [];
  beforeAll(async () => {
    server = await RedisServer.start({ settings: { 'enable-debug-command': 'yes' } });
    admin = new Redis(server.url);
  });
  afterAll(async () => {
    admin?.disconnect();
    await spaces.cleanup().catch(() => undefined);
    await Promise.all(proxies.map((p) => p.stop()));
    await server?.stop();
    await Promise.all(servers.map((s) => s.stop()));
  });

  async function records(url = server.url, options: Parameters<TestNamespaces['open']>[0] = {}): Promise<RecordStore> {
    const a = await spaces.open({ url, ...options });
    return a.openRecord(binding('record', a.namespace));
  }

  it('NOSCRIPT after the script cache is emptied (as after every restart): the script is loaded again, nothing lost', async () => {
    const r = await records();
    const first = await r.put('k', '"one"');
    await admin.script('FLUSH');
    expect(await r.get('k')).toMatchObject({ value: '"one"', version: first.version });
    const second = await r.put('k', '"two"', { ifVersion: first.version });
    expect(second.version).toBeGreaterThan(first.version);
    await server.restart();
    await admin.ping().catch(() => undefined);
    expect(await r.get('k')).toMatchObject({ value: '"two"', version: second.version });
    expect((await r.put('k', '"three"')).version).toBeGreaterThan(second.version);
  });

  it('OOM: a refused write is typed (STATEPROOF_BACKEND_UNAVAILABLE, reply OOM) and changes nothing', async () => {
    const r = await records();
    const { version } = await r.put('k', '"kept"');
    await admin.config('SET', 'maxmemory', '1');
    try {
      const refused = await r.put('k', '"lost"').catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'STATEPROOF_BACKEND_UNAVAILABLE', details: { reply: 'OOM' } });
      expect((refused as Error).message).toContain('nothing was applied');
      // Reads still run (flags=no-writes), and see the record untouched.
      expect(await r.get('k')).toMatchObject({ value: '"kept"', version });
    } finally {
      await admin.config('SET', 'maxmemory', '0');
    }
    expect((await r.put('k', '"after"')).version).toBeGreaterThan(version);
  });

  it('READONLY: on a replica a write is refused typed (STATEPROOF_BACKEND_READ_ONLY), a read works', async () => {
    const replica = await RedisServer.start();
    servers.push(replica);
    const ns = 'sp-replica-test';
    const primary = await records(server.url, { namespace: ns });
    const { version } = await primary.put('k', '"from the primary"');
    const ra = new Redis(replica.url);
    try {
      // The primary would wait 5 s for more replicas before a diskless sync.
      await admin.config('SET', 'repl-diskless-sync-delay', '0');
      await ra.replicaof('127.0.0.1', Number(new URL(server.url).port));
      const deadline = Date.now() + 10_000;
      while (!/master_link_status:up/.test(await ra.info('replication'))) {
        if (Date.now() > deadline) throw new Error('the replica did not catch up');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const onReplica = await records(replica.url, { namespace: ns });
      const deadline2 = Date.now() + 10_000;
      while ((await onReplica.get('k'))?.version !== version) {
        if (Date.now() > deadline2) throw new Error('the record did not reach the replica');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await expect(onReplica.put('k', '"on the replica"')).rejects.toMatchObject({
        code: 'STATEPROOF_BACKEND_READ_ONLY',
      });
      expect(await onReplica.get('k')).toMatchObject({ value: '"from the primary"', version });
    } finally {
      ra.disconnect();
    }
  });

  it('a write whose reply is lost is retried under its operation id and applied once', async () => {
    // A proxy between the adapter and the server swallows the server's replies on the connection
    // of the moment: the write runs on the server, its reply never arrives, the adapter finds the
    // connection stuck after commandTimeoutMs, makes a new one (which the proxy passes through) and
    // sends the write again under the same operation id. The server finds the reply the first run
    // stored and returns it: not a conflict with itself, and one version used.
    const proxy = await ReplyDroppingProxy.start(Number(new URL(server.url).port));
    proxies.push(proxy);
    const r = await records(`redis://127.0.0.1:${proxy.port}`, { commandTimeoutMs: 100, retryWindowMs: 5000 });
    const scriptCalls = async () => {
      const stats = await admin.info('commandstats');
      return [...stats.matchAll(/cmdstat_(?:evalsha|eval):calls=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    };
    await r.get('warm-up');
    const before = await scriptCalls();
    proxy.dropReplies();
    const put = await r.put('once', '"v"', { ifAbsent: true });
    // Run twice on the server (the first copy, whose reply was lost, then the retry) ...
    expect((await scriptCalls()) - before).toBeGreaterThanOrEqual(2);
    expect(proxy.dropped).toBeGreaterThan(0);
    // ... not a conflict with its own first copy, and exactly one version used by it.
    expect(await r.get('once')).toMatchObject({ value: '"v"', version: put.version });
    const next = await r.put('other', '"w"');
    expect(next.version).toBe(put.version + 1);
  });
});

/**
 * A TCP proxy in front of a Redis server: every connection is piped both ways, until dropReplies()
 * makes the connections open at that moment swallow what the server sends (the request still goes
 * through and runs). Connections made afterwards pass everything.
 */
class ReplyDroppingProxy {
  private readonly pairs = new Set<{ client: Socket; upstream: Socket; drop: boolean }>();
  /** Bytes of replies swallowed. */
  dropped = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: number): Promise<ReplyDroppingProxy> {
    let proxy: ReplyDroppingProxy | undefined;
    const server = createServer((client) => {
      const upstream = connect(target, '127.0.0.1');
      const pair = { client, upstream, drop: false };
      proxy!.pairs.add(pair);
      client.on('data', (d) => upstream.write(d));
      upstream.on('data', (d) => {
        if (pair.drop) proxy!.dropped += d.length;
        else client.write(d);
      });
      const end = () => {
        client.destroy();
        upstream.destroy();
        proxy!.pairs.delete(pair);
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new ReplyDroppingProxy(server, (server.address() as AddressInfo).port);
    return proxy;
  }

  dropReplies(): void {
    for (const p of this.pairs) p.drop = true;
  }

  async stop(): Promise<void> {
    for (const p of this.pairs) {
      p.client.destroy();
      p.upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
