import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CertificateSchema, checkDocument, type CertificateDocument } from '@stateproof/spec';
import { runCrash } from '@stateproof/conformance';
import { openRedisAdapter, redisCapabilities } from '@stateproof/adapter-redis';
import { RedisServer, redisServerUnavailable, redisTarget } from '@stateproof/adapter-redis/conformance';
import { main, type CliIo } from 'stateproof';

// Backend crashes need a redis-server of the test's own (a temp dir, a free port). Without the
// binary the tests say so loudly and skip; under CI=true they run and fail.
const CI = process.env['CI'] === 'true';
const UNAVAILABLE = redisServerUnavailable();
if (UNAVAILABLE !== undefined) {
  const message = `\n*** Redis backend-crash tests ${CI ? 'FAILING (CI=true)' : 'SKIPPED'}: cannot start a server of their own: ${UNAVAILABLE} ***\n`;
  if (CI) console.error(message);
  else console.warn(message);
}
const OWN_SERVER = UNAVAILABLE === undefined || CI;

/** The kinds the crash harness runs on the Redis adapter: every durable kind it claims. */
const CRASH_KINDS = (['record', 'log', 'claim', 'queue', 'dataspace'] as const).filter(
  (k) => redisCapabilities({ injectableClock: false, expiryToleranceMs: 50 }).kinds[k] !== undefined,
);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'stateproof-redis-'));
  dirs.push(d);
  return d;
}

function io(cwd: string, env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const value: CliIo = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    cwd,
    env,
  };
  return { io: value, out: () => out, err: () => err };
}

describe.skipIf(!OWN_SERVER)("a redis-server of the harness's own", () => {
  it('is durable (the probe certifies shared-durable), loses no acknowledged write to kill -9, and goes away with stop()', async () => {
    const server = await RedisServer.start();
    try {
      expect(server.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
      expect(server.url).not.toContain(':6379');
      const adapter = await openRedisAdapter({ url: server.url, namespace: 'sp-server-test', retryWindowMs: 200 });
      const probe = await adapter.probe();
      expect(probe.settings).toMatchObject({ appendonly: 'yes', appendfsync: 'always' });
      expect(probe.classes.find((c) => c.class === 'shared-durable')?.certified).toBe(true);
      const before = server.pid!;
      const space = 'sp1:sp-server-test:a:app:t.record:';
      const record = await adapter.openRecord({
        surfaceId: 't.record',
        kind: 'record',
        class: 'shared-durable',
        space,
      });
      const { version } = await record.put('k', '"v1"');
      await server.kill();
      expect(server.pid).toBeUndefined();
      // The adapter's next call fails typed and retryable while the server is down ...
      await expect(record.get('k')).rejects.toMatchObject({ code: 'STATEPROOF_BACKEND_UNAVAILABLE', retryable: true });
      await server.restart();
      expect(server.pid).not.toBe(before);
      // ... and reconnects once it is back: the acknowledged write survived (and the script cache did not: EVAL again).
      expect(await record.get('k')).toMatchObject({ value: '"v1"', version });
      expect((await record.put('k', '"v2"')).version).toBeGreaterThan(version);
      await adapter.close();
      const dir = server.dataDir;
      await server.stop();
      expect(() => readFileSync(join(dir, 'appendonlydir'))).toThrow();
    } finally {
      await server.stop();
    }
  }, 60_000);
});

describe.skipIf(!OWN_SERVER)('backend crashes: the crash harness kills its own redis-server', () => {
  it('stateproof crash --adapter redis --kill-backend passes: workers and the server killed, nothing acknowledged lost', async () => {
    const dir = tempDir();
    const h = io(dir);
    const code = await main(
      ['crash', '--adapter', 'redis', '--kill-backend', '--kills', '2', '--seed', '7', '--out', 'certificate.json'],
      h.io,
    );
    expect(h.out(), h.err()).toMatch(/^PASS: redis, class shared-durable, seed 7/);
    expect(h.err()).toMatch(/\[2\] killed the backend server and restarted it \(down \d+ ms\)/);
    expect(code).toBe(0);
    const cert = JSON.parse(readFileSync(join(dir, 'certificate.json'), 'utf8')) as CertificateDocument;
    expect(checkDocument(CertificateSchema, cert)).toEqual([]);
    expect(cert.verdict).toBe('partial');
    for (const c of cert.classes)
      expect(
        c.checks.filter((k) => k.status === 'pass').map((k) => k.check),
        c.kind,
      ).toEqual(['process-crash', 'backend-crash']);
    expect(cert.backend.settings).toMatchObject({ appendonly: 'yes', appendfsync: 'always' });
    expect(cert.crash.map((c) => c.scenario).sort()).toEqual(
      CRASH_KINDS.map((k) => `process-and-backend-kill/${k}`).sort(),
    );
    for (const c of cert.crash) expect(c.acknowledged, c.scenario).toBeGreaterThan(50);
  }, 180_000);

  it('workers ride out the outage: calls in flight wait for the server (within the retry window) or fail typed and retryable, and the workers go on', async () => {
    const server = await RedisServer.start();
    try {
      const downs: number[] = [];
      let ackedAtOutage = 0;
      let acked = 0;
      const report = await runCrash({
        target: redisTarget({ url: server.url, server }),
        kinds: CRASH_KINDS.filter((k) => k !== 'claim' && k !== 'dataspace'),
        kills: 2,
        seed: 3,
        killBackend: true,
        onProgress: (e) => {
          if (e.type === 'kill') acked = e.acknowledged;
          if (e.type === 'backend-kill') {
            downs.push(e.downMs);
            ackedAtOutage = acked;
          }
        },
      });
      expect(report.errors).toEqual([]);
      expect(report.verdict).toBe('pass');
      expect(downs).toHaveLength(1);
      expect(server.kills).toBe(1);
      const ops = report.history.ops;
      // An operation the retry window could not carry over the outage fails only as retryable
      // unavailability; a task's write that waited out the outage past its lease is refused as the
      // contract says (its lease is judged when the write runs), and the task goes to another worker.
      const failed = ops.filter((o) => o.state === 'failed');
      expect(
        failed.filter(
          (o) =>
            o.code !== 'STATEPROOF_BACKEND_UNAVAILABLE' && !(o.kind === 'queue' && o.code === 'STATEPROOF_LEASE_LOST'),
        ),
      ).toEqual([]);
      // And the workers went on after the server came back.
      expect(ackedAtOutage).toBeGreaterThan(0);
      expect(report.history.acknowledged - ackedAtOutage).toBeGreaterThan(100);
    } finally {
      await server.stop();
    }
  }, 120_000);
});

describe.skipIf(!OWN_SERVER)('stateproof certify --adapter redis --own-server', () => {
  it('conforms on a durable server of its own, then kills processes and the server: shared-durable and derived-projection certified', async () => {
    const dir = tempDir();
    const h = io(dir);
    const argv = [
      'certify',
      '--adapter',
      'redis',
      '--own-server',
      '--kinds',
      'record',
      '--runs',
      '2',
      '--kills',
      '2',
      '--seed',
      '7',
    ];
    const code = await main([...argv, '--out', 'certificate.json'], h.io);
    expect(h.out(), h.err()).toMatch(/^CERTIFIED: redis/);
    expect(h.err()).toMatch(/killed the backend server and restarted it/);
    expect(code).toBe(0);
    const cert = JSON.parse(readFileSync(join(dir, 'certificate.json'), 'utf8')) as CertificateDocument;
    expect(checkDocument(CertificateSchema, cert)).toEqual([]);
    expect(cert.classes).toEqual([
      expect.objectContaining({ class: 'shared-durable', kind: 'record', verdict: 'certified' }),
      // A record projection of a shared-durable log: its own properties, then its projectors killed.
      expect.objectContaining({ class: 'derived-projection', kind: 'record', verdict: 'certified' }),
    ]);
    expect(cert.classes[0]?.checks.map((c) => `${c.check}:${c.status}`)).toEqual([
      'model:pass',
      'reopen:pass',
      'process-crash:pass',
      'concurrent-linearizability:pass',
      'backend-crash:pass',
    ]);
    expect(cert.classes[1]?.checks.map((c) => `${c.check}:${c.status}`)).toEqual([
      'model:pass',
      'reopen:pass',
      'process-crash:pass',
      'rebuild-from-source:pass',
      'single-writer:pass',
    ]);
    // The projection's crash run kills its projectors and the server under them.
    expect(cert.crash.map((c) => `${c.class}:${c.scenario}:${c.status}`)).toEqual([
      'shared-durable:process-and-backend-kill/record:pass',
      'derived-projection:process-and-backend-kill/record:pass',
    ]);
  }, 180_000);
});

describe('stateproof conform --adapter redis on a server that cannot hold the class', () => {
  it('fails shared-durable with the probe’s reasons and the way out, without running properties against it', async () => {
    const server = OWN_SERVER ? await RedisServer.start({ settings: { appendonly: 'no' } }) : undefined;
    if (!server) return;
    try {
      const h = io(tempDir());
      const code = await main(
        ['conform', '--adapter', 'redis', '--url', server.url, '--kinds', 'record', '--runs', '2'],
        h.io,
      );
      expect(code).toBe(1);
      expect(h.out()).toMatch(/^FAIL: redis/);
      expect(h.out()).toContain('appendonly=no');
      expect(h.out()).toContain('CONFIG SET appendonly yes');
      expect(h.out()).toContain('--own-server');
      expect(h.out()).toMatch(/requirements: 0 passed, 0 failed, \d+ skipped/);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('refuses --own-server with --url, and for adapters without a server', async () => {
    const h = io(tmpdir());
    expect(await main(['conform', '--adapter', 'redis', '--own-server', '--url', 'redis://127.0.0.1:1'], h.io)).toBe(2);
    expect(h.err()).toContain('does not go with --url');
    const s = io(tmpdir());
    expect(await main(['conform', '--adapter', 'sqlite', '--own-server'], s.io)).toBe(2);
    expect(s.err()).toContain('has no server to start');
  });
});

it('stateproof crash refuses --kill-backend with --url for redis: it never kills a server it did not start', async () => {
  const h = io(tmpdir());
  expect(await main(['crash', '--adapter', 'redis', '--kill-backend', '--url', 'redis://127.0.0.1:6379'], h.io)).toBe(
    2,
  );
  expect(h.err()).toContain('never the one at --url');
});
