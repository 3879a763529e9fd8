import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateSchema, checkDocument, type CertificateDocument } from '@stateproof/spec';
import { runCrash } from '@stateproof/conformance';
import { DEFAULT_PG_URL, newClient, openPostgresAdapter } from '@stateproof/adapter-postgres';
import { main, type CliIo } from 'stateproof';
import { PostgresServer, postgresServerUnavailable, postgresTarget } from '@stateproof/adapter-postgres/conformance';

// Backend crashes need a Postgres server of the test's own (initdb in a temp dir, as the postgres
// OS user, a free port). Without the binaries the tests say so loudly and skip; under CI=true they
// run and fail.
const CI = process.env['CI'] === 'true';
const UNAVAILABLE = postgresServerUnavailable();
if (UNAVAILABLE !== undefined) {
  const message = `\n*** Postgres backend-crash tests ${CI ? 'FAILING (CI=true)' : 'SKIPPED'}: cannot start a server of their own: ${UNAVAILABLE} ***\n`;
  if (CI) console.error(message);
  else console.warn(message);
}
const OWN_SERVER = UNAVAILABLE === undefined || CI;

// The client-kill run uses the shared server (in a schema of its own), like the adapter's tests.
const PG_URL = process.env['STATEPROOF_PG_URL'] ?? DEFAULT_PG_URL;
const SHARED_SERVER: boolean = await (async () => {
  const client = newClient({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch (error) {
    console.warn(
      `\n*** stateproof crash --adapter postgres ${CI ? 'FAILING (CI=true)' : 'SKIPPED'}: no server at ${PG_URL} (${(error as Error).message}) ***\n`,
    );
    return CI;
  } finally {
    await client.end().catch(() => undefined);
  }
})();

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'stateproof-cert-'));
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

/** Live (not zombie) processes whose working directory is `dir`: what is left of a server there. */
function liveIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z' && readlinkSync(`/proc/${p}/cwd`) === dir;
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe.skipIf(!OWN_SERVER)("a Postgres server of the harness's own", () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await PostgresServer.start();
  });
  afterAll(() => server?.stop());

  it('is durable (the probe certifies shared-durable), loses no commit to kill -9 of every process, and goes away with stop()', async () => {
    expect(server.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(server.url).not.toContain(':5432/');
    const adapter = await openPostgresAdapter({ url: server.url, namespace: 'sp_server_test' });
    const probe = await adapter.probe();
    expect(probe.settings).toMatchObject({ fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' });
    expect(probe.classes.find((c) => c.class === 'shared-durable')?.certified).toBe(true);
    const before = server.pid!;
    const processes = liveIn(server.dataDir);
    expect(processes).toContain(before);
    expect(processes.length).toBeGreaterThan(3); // the postmaster, its helpers, the adapter's backend

    const space = 'sp1:t:a:app:t.record:';
    const record = await adapter.openRecord({ surfaceId: 't.record', kind: 'record', class: 'shared-durable', space });
    const { version } = await record.put('k', '"v1"');
    await server.kill();
    expect(server.pid).toBeUndefined();
    expect(liveIn(server.dataDir)).toEqual([]);
    // The adapter's next call fails typed and retryable while the server is down ...
    await expect(record.get('k')).rejects.toMatchObject({ code: 'STATEPROOF_BACKEND_UNAVAILABLE', retryable: true });
    await server.restart();
    expect(server.pid).not.toBe(before);
    // ... and reconnects once it is back: the acknowledged write survived.
    expect(await record.get('k')).toMatchObject({ value: '"v1"', version });
    await adapter.close();

    const dir = join(server.dataDir, '..');
    await server.stop();
    expect(existsSync(dir)).toBe(false);
    expect(liveIn(join(dir, 'data'))).toEqual([]);
  }, 60_000);
});

describe.skipIf(!OWN_SERVER)('backend crashes: the crash harness kills its own Postgres server', () => {
  it('stateproof crash --adapter postgres --kill-backend passes: workers and the postmaster killed, nothing acknowledged lost', async () => {
    const dir = tempDir();
    const h = io(dir);
    const code = await main(
      ['crash', '--adapter', 'postgres', '--kill-backend', '--kills', '2', '--seed', '7', '--out', 'certificate.json'],
      h.io,
    );
    expect(h.out(), h.err()).toMatch(/^PASS: postgres, class shared-durable, seed 7/);
    expect(h.err()).toMatch(/\[2\] killed the backend server and restarted it \(down \d+ ms\)/);
    expect(code).toBe(0);
    const cert = JSON.parse(readFileSync(join(dir, 'certificate.json'), 'utf8')) as CertificateDocument;
    expect(checkDocument(CertificateSchema, cert)).toEqual([]);
    // A crash run alone decides the crash checks; the conform checks are still owed (`stateproof certify` runs both).
    expect(cert.verdict).toBe('partial');
    for (const c of cert.classes) {
      expect(
        c.checks.filter((k) => k.status === 'pass').map((k) => k.check),
        c.kind,
      ).toEqual(['process-crash', 'backend-crash']);
      expect(c.missing, c.kind).toEqual(['model', 'reopen', 'concurrent-linearizability']);
    }
    expect(cert.backend.settings).toMatchObject({ fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' });
    expect(cert.crash.map((c) => c.scenario).sort()).toEqual(
      ['claim', 'dataspace', 'log', 'queue', 'record'].map((k) => `process-and-backend-kill/${k}`),
    );
    for (const c of cert.crash) expect(c.acknowledged, c.scenario).toBeGreaterThan(50);
  }, 120_000);

  it('workers ride out the outage: their calls fail typed and retryable, they pause, reconnect and go on', async () => {
    const server = await PostgresServer.start();
    try {
      const downs: number[] = [];
      const report = await runCrash({
        target: postgresTarget({ url: server.url, server }),
        kinds: ['record', 'log', 'queue'],
        kills: 2,
        seed: 3,
        killBackend: true,
        onProgress: (e) => void (e.type === 'backend-kill' && downs.push(e.downMs)),
      });
      expect(report.errors).toEqual([]);
      expect(report.verdict).toBe('pass');
      expect(downs).toHaveLength(1);
      expect(server.kills).toBe(1);
      const ops = report.history.ops;
      const failed = ops.filter((o) => o.state === 'failed');
      expect(failed.length).toBeGreaterThan(0);
      expect(new Set(failed.map((o) => o.code))).toEqual(new Set(['STATEPROOF_BACKEND_UNAVAILABLE']));
      // Every worker that saw the outage acknowledged operations after its last failure: it reconnected.
      const incarnations = new Set(failed.map((o) => `${o.worker}.${o.incarnation}`));
      for (const w of incarnations) {
        const own = ops.filter((o) => `${o.worker}.${o.incarnation}` === w);
        const lastFailure = own.map((o) => o.state).lastIndexOf('failed');
        expect(
          own.slice(lastFailure + 1).filter((o) => o.state === 'acked').length,
          `worker ${w} after the outage`,
        ).toBeGreaterThan(10);
      }
      // A pause after each failure: not a spin of refused connections while the server is down.
      expect(failed.length / incarnations.size).toBeLessThan(3 * (downs[0]! / 100 + 3));
    } finally {
      await server.stop();
    }
  }, 120_000);
});

describe.skipIf(!SHARED_SERVER)('stateproof crash --adapter postgres (client kills only)', () => {
  it('kills workers against the shared server, in a schema of its own, and finds nothing lost', async () => {
    const dir = tempDir();
    const h = io(dir, { STATEPROOF_PG_URL: PG_URL });
    const code = await main(['crash', '--adapter', 'postgres', '--kills', '3', '--seed', '7'], h.io);
    expect(h.out(), h.err()).toMatch(/^PASS: postgres, class shared-durable, seed 7/);
    expect(h.out()).toMatch(/queue +process-kill\/queue +3 +0 +\d+ +pass /);
    expect(h.err()).not.toContain('killed the backend');
    expect(code).toBe(0);
  }, 120_000);
});

describe.skipIf(!OWN_SERVER || !SHARED_SERVER)('stateproof certify --adapter postgres', () => {
  it('runs conform on the shared server, then process and backend kills on a server of its own: shared-durable and derived-projection certified', async () => {
    const dir = tempDir();
    const h = io(dir, { STATEPROOF_PG_URL: PG_URL });
    const argv = [
      'certify',
      '--adapter',
      'postgres',
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
    expect(h.out(), h.err()).toMatch(/^CERTIFIED: postgres/);
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
    expect(cert.crash).toEqual([
      expect.objectContaining({ scenario: 'process-and-backend-kill/record', class: 'shared-durable', status: 'pass' }),
      // Projectors killed mid-commit, and the server under them.
      expect.objectContaining({
        scenario: 'process-and-backend-kill/record',
        class: 'derived-projection',
        status: 'pass',
      }),
    ]);
  }, 180_000);
});

it('stateproof crash refuses --kill-backend with --url: it never kills a server it did not start', async () => {
  const h = io(tmpdir());
  expect(await main(['crash', '--adapter', 'postgres', '--kill-backend', '--url', PG_URL], h.io)).toBe(2);
  expect(h.err()).toContain('never the one at --url');
});
