import { afterAll, describe, expect, it } from 'vitest';
import { certifyRedis, redisFindings, type RedisSettings } from '@stateproof/adapter-redis';
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

/** A class's reasons and fixes, as `stateproof probe` prints them. */
function reasons(s: Partial<RedisSettings>, cls: string): string {
  const v = certifyRedis({ ...DURABLE, ...s }, adapter, at).classes.find((c) => c.class === cls)!;
  return [...v.reasons, ...(v.fixes ?? [])].join('\n');
}

// One row per setting: what each fault loses, and the classes it certifies (CLASS_FAULTS decides).
const ALL = ['ephemeral', 'restart-safe-local', 'shared-durable', 'derived-projection', 'telemetry'];
const ROWS: Array<{ s: Partial<RedisSettings>; faults: [string, string, string]; certified: string[]; fix?: RegExp }> =
  [
    { s: {}, faults: ['no-loss', 'no-loss', 'no-loss'], certified: ALL },
    {
      s: { appendonly: 'no', appendfsync: 'everysec' },
      faults: ['no-loss', 'loses-all', 'loses-all'],
      certified: ['ephemeral', 'telemetry'],
      fix: /CONFIG SET appendonly yes[^]*CONFIG SET appendfsync always/,
    },
    {
      s: { appendfsync: 'everysec' },
      faults: ['no-loss', 'loses-recent', 'loses-recent'],
      certified: ['ephemeral', 'derived-projection', 'telemetry'],
      fix: /CONFIG SET appendfsync always/,
    },
    {
      s: { appendfsync: 'no' },
      faults: ['no-loss', 'no-loss', 'loses-recent'],
      certified: ['ephemeral', 'derived-projection', 'telemetry'],
      fix: /CONFIG SET appendfsync always/,
    },
    {
      s: { noAppendfsyncOnRewrite: 'yes' },
      faults: ['no-loss', 'no-loss', 'loses-recent'],
      certified: ['ephemeral', 'derived-projection', 'telemetry'],
      fix: /CONFIG SET no-appendfsync-on-rewrite no/,
    },
    {
      s: { appendonly: null, appendfsync: null, noAppendfsyncOnRewrite: null, maxmemoryPolicy: null },
      faults: ['no-loss', 'loses-all', 'loses-all'],
      certified: ['ephemeral', 'telemetry'],
      fix: /allow CONFIG GET/,
    },
    {
      s: { maxmemoryPolicy: 'allkeys-lru' },
      faults: ['no-loss', 'no-loss', 'no-loss'],
      certified: ['ephemeral', 'telemetry'],
      fix: /CONFIG SET maxmemory-policy noeviction/,
    },
    {
      s: { role: 'slave' },
      faults: ['no-loss', 'no-loss', 'no-loss'],
      certified: ['ephemeral', 'telemetry'],
      fix: /point the URL at the primary/,
    },
  ];

describe('redis probe: each setting against the faults each class must survive', () => {
  it.each(ROWS)('$s', ({ s, faults, certified, fix }) => {
    const f = redisFindings({ ...DURABLE, ...s });
    expect([f['process-kill'].outcome, f['backend-kill'].outcome, f['os-crash'].outcome]).toEqual(faults);
    const r = certifyRedis({ ...DURABLE, ...s }, adapter, at);
    expect(r.classes.filter((c) => c.certified).map((c) => c.class)).toEqual(certified);
    const local = r.classes.find((c) => c.class === 'restart-safe-local')!;
    if (fix) expect(local.fixes?.join('\n')).toMatch(fix);
    else expect(local.fixes).toEqual([]);
  });
});

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
