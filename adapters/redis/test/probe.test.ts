import { afterAll, describe, expect, it } from 'vitest';
import { certifyRedis, type RedisSettings } from '@stateproof/adapter-redis';
import { RedisServer } from '@stateproof/adapter-redis/conformance';
import { OWN_SERVER_AVAILABLE, REDIS_AVAILABLE, TestNamespaces } from './redis-test-server.js';

const DURABLE: RedisSettings = {
  version: '7.0.15',
  appendonly: 'yes',
  appendfsync: 'always',
  noAppendfsyncOnRewrite: 'no',
  maxmemory: '0',
  maxmemoryPolicy: 'noeviction',
  save: '',
  role: 'master',
  connectedReplicas: 0,
  clusterEnabled: false,
  mode: 'standalone',
};

const at = new Date('2030-01-01T00:00:00Z');
const adapter = { name: 'redis', version: 'test' };

function verdicts(s: Partial<RedisSettings>): Record<string, boolean> {
  const r = certifyRedis({ ...DURABLE, ...s }, adapter, at);
  return Object.fromEntries(r.classes.map((c) => [c.class, c.certified]));
}

function reasons(s: Partial<RedisSettings>, cls: string): string {
  return certifyRedis({ ...DURABLE, ...s }, adapter, at)
    .classes.find((c) => c.class === cls)!
    .reasons.join('\n');
}

describe('what each Redis configuration certifies', () => {
  it('AOF with appendfsync always, fsync kept during rewrites, no eviction, a single primary: every class, "single node, no replica"', () => {
    expect(verdicts({})).toEqual({
      ephemeral: true,
      'restart-safe-local': true,
      'shared-durable': true,
      'derived-projection': true,
      telemetry: true,
    });
    expect(reasons({}, 'shared-durable')).toContain('single node, no replica');
  });

  it('appendonly no: nothing durable, and the reason says what to change', () => {
    expect(verdicts({ appendonly: 'no', appendfsync: 'everysec' })).toMatchObject({
      'restart-safe-local': false,
      'shared-durable': false,
      'derived-projection': false,
      ephemeral: true,
      telemetry: true,
    });
    expect(reasons({ appendonly: 'no' }, 'shared-durable')).toContain('CONFIG SET appendonly yes');
  });

  it('everysec or no, or always without fsync during rewrites: only a rebuildable projection', () => {
    for (const s of [
      { appendfsync: 'everysec' },
      { appendfsync: 'no' },
      { noAppendfsyncOnRewrite: 'yes' },
    ] satisfies Array<Partial<RedisSettings>>) {
      expect(verdicts(s), JSON.stringify(s)).toMatchObject({
        'restart-safe-local': false,
        'shared-durable': false,
        'derived-projection': true,
      });
    }
    expect(reasons({ appendfsync: 'everysec' }, 'shared-durable')).toMatch(/even a kill of the server process loses/);
    expect(reasons({ noAppendfsyncOnRewrite: 'yes' }, 'shared-durable')).toContain(
      'CONFIG SET no-appendfsync-on-rewrite no',
    );
  });

  it('an evicting maxmemory-policy refuses every durable class', () => {
    expect(verdicts({ maxmemoryPolicy: 'allkeys-lru' })).toMatchObject({
      'restart-safe-local': false,
      'shared-durable': false,
      'derived-projection': false,
    });
    expect(reasons({ maxmemoryPolicy: 'volatile-ttl' }, 'shared-durable')).toContain(
      'CONFIG SET maxmemory-policy noeviction',
    );
  });

  it('failover to asynchronous replicas (attached replicas, Cluster) refuses shared-durable only', () => {
    for (const s of [{ connectedReplicas: 2 }, { clusterEnabled: true, mode: 'cluster' }]) {
      expect(verdicts(s), JSON.stringify(s)).toMatchObject({
        'restart-safe-local': true,
        'shared-durable': false,
        'derived-projection': true,
      });
    }
  });

  it('a replica, or a server whose CONFIG is hidden, certifies nothing durable', () => {
    expect(verdicts({ role: 'slave' })['shared-durable']).toBe(false);
    const hidden = {
      appendonly: null,
      appendfsync: null,
      noAppendfsyncOnRewrite: null,
      maxmemoryPolicy: null,
    } as const;
    expect(verdicts(hidden)).toMatchObject({ 'restart-safe-local': false, 'derived-projection': false });
    expect(reasons(hidden, 'shared-durable')).toContain('cannot be verified');
  });
});

describe.skipIf(!REDIS_AVAILABLE)('the probe reads the live server', () => {
  const spaces = new TestNamespaces();
  afterAll(() => spaces.cleanup());

  it('on the shared server (no persistence) refuses the durable classes', async () => {
    const a = await spaces.open();
    const probe = await a.probe();
    expect(probe.backend).toMatchObject({ name: 'redis' });
    expect(probe.settings['appendonly']).toBe('no');
    expect(probe.classes.find((c) => c.class === 'shared-durable')?.certified).toBe(false);
  });
});

describe.skipIf(!OWN_SERVER_AVAILABLE)('the probe on servers of the test’s own', () => {
  const servers: RedisServer[] = [];
  const spaces = new TestNamespaces();
  afterAll(async () => {
    await spaces.cleanup();
    await Promise.all(servers.map((s) => s.stop()));
  });
  const on = async (settings: Record<string, string>) => {
    const server = await RedisServer.start({ settings });
    servers.push(server);
    return (await spaces.open({ url: server.url })).probe();
  };

  it('certifies shared-durable under appendfsync always, and only a projection under everysec or with eviction on', async () => {
    const durable = await on({});
    expect(durable.settings).toMatchObject({
      appendonly: 'yes',
      appendfsync: 'always',
      'maxmemory-policy': 'noeviction',
    });
    expect(durable.classes.every((c) => c.certified)).toBe(true);
    const everysec = await on({ appendfsync: 'everysec' });
    expect(everysec.classes.find((c) => c.class === 'shared-durable')?.certified).toBe(false);
    expect(everysec.classes.find((c) => c.class === 'derived-projection')?.certified).toBe(true);
    const evicting = await on({ 'maxmemory-policy': 'allkeys-lru' });
    expect(evicting.classes.find((c) => c.class === 'derived-projection')?.certified).toBe(false);
  });
});
