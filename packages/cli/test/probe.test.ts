import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PG_URL, newClient } from '@stateproof/adapter-postgres';
import { PostgresServer, postgresServerUnavailable } from '@stateproof/adapter-postgres/conformance';
import { DEFAULT_REDIS_URL } from '@stateproof/adapter-redis';
import { RedisServer, redisServerUnavailable } from '@stateproof/adapter-redis/conformance';
import {
  checkDocument,
  LintReportSchema,
  ProbeResultSchema,
  type LintReportDocument,
  type ProbeResultDocument,
} from '@stateproof/spec';
import { main, type CliIo } from 'stateproof';

// Postgres and Redis: the shared servers (127.0.0.1:5432 and :6379, or $STATEPROOF_PG_URL and
// $STATEPROOF_REDIS_URL) and servers of the test's own. Without them the tests say so loudly and
// skip; under CI=true they run (and fail).
const CI = process.env['CI'] === 'true';
const PG_URL = process.env['STATEPROOF_PG_URL'] ?? DEFAULT_PG_URL;
const REDIS_URL = process.env['STATEPROOF_REDIS_URL'] ?? DEFAULT_REDIS_URL;

function loud(what: string, why: string): boolean {
  const message = `\n*** stateproof probe: ${what} ${CI ? 'FAILING (CI=true)' : 'SKIPPED'}: ${why} ***\n`;
  if (CI) console.error(message);
  else console.warn(message);
  return CI;
}

const PG_SHARED: boolean = await (async () => {
  const client = newClient({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch (error) {
    return loud(`--adapter postgres`, `no server at ${PG_URL} (${(error as Error).message})`);
  } finally {
    await client.end().catch(() => undefined);
  }
})();
const PG_UNAVAILABLE = postgresServerUnavailable();
const PG_OWN = PG_UNAVAILABLE === undefined || loud('Postgres servers of its own', PG_UNAVAILABLE);

const REDIS_SHARED: boolean = await (async () => {
  const { createConnection } = await import('node:net');
  const u = new URL(REDIS_URL);
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: u.hostname, port: Number(u.port || 6379) });
    socket.setTimeout(3000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
  return reachable || loud('--adapter redis', `no server at ${REDIS_URL}`);
})();
const REDIS_UNAVAILABLE = redisServerUnavailable();
const REDIS_OWN = REDIS_UNAVAILABLE === undefined || loud('redis-servers of its own', REDIS_UNAVAILABLE);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'stateproof-probe-'));
  dirs.push(d);
  return d;
}

async function probe(argv: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (t: string) => void (out += t) },
    stderr: { write: (t: string) => void (err += t) },
    cwd: join(import.meta.dirname, 'fixtures'),
    env,
  };
  const code = await main(['probe', ...argv], io);
  return { code, out, err };
}

/** `--json`, checked against the probe result schema. */
async function probeJson(argv: string[], env: Record<string, string> = {}) {
  const r = await probe([...argv, '--json'], env);
  expect(r.err).toBe('');
  const doc = JSON.parse(r.out) as ProbeResultDocument;
  expect(checkDocument(ProbeResultSchema, doc)).toEqual([]);
  const certified = Object.fromEntries(doc.classes.map((c) => [c.class, c.certified]));
  return { ...r, doc, certified };
}

describe('stateproof probe: the command line', () => {
  it('--help shows the synopsis, the exit status and the examples', async () => {
    let out = '';
    const io: CliIo = {
      stdout: { write: (t) => void (out += t) },
      stderr: { write: () => undefined },
      cwd: '.',
      env: {},
    };
    expect(await main(['probe', '--help'], io)).toBe(0);
    expect(out).toContain('Usage: stateproof probe --adapter');
    expect(out).toMatch(/Exit status: 0 every requested class is certifiable; 1 one is not; 2/);
    expect(out).toContain('--class <classes>');
    out = '';
    await main(['--help'], io);
    expect(out).toMatch(/\n  probe +Ask a live backend/);
  });

  it('usage errors exit 2: no --adapter, an unknown class, a stray word', async () => {
    expect(await probe([])).toMatchObject({ code: 2, err: expect.stringContaining('--adapter is required') });
    expect(await probe(['--adapter', 'sqlite', '--class', 'durable'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--class takes'),
    });
    expect(await probe(['--adapter', 'sqlite', 'extra'])).toMatchObject({ code: 2 });
  });

  it('an unreachable URL exits 2 with what to do, never a stack trace', async () => {
    const pg = await probe(['--adapter', 'postgres', '--url', 'postgres://postgres@127.0.0.1:1/nowhere']);
    expect(pg.code).toBe(2);
    expect(pg.err).toMatch(/could not probe the postgres backend at postgres:\/\/postgres@127\.0\.0\.1:1\/nowhere/);
    expect(pg.err).toMatch(/--url, or set \$STATEPROOF_PG_URL, or use --own-server/);
    expect(pg.err).not.toMatch(/\n\s+at /);
    const redis = await probe(['--adapter', 'redis', '--url', 'redis://127.0.0.1:1']);
    expect(redis.code).toBe(2);
    expect(redis.err).toMatch(/could not probe the redis backend/);
    expect(redis.err).not.toMatch(/\n\s+at /);
    expect(await probe(['--adapter', 'postgres', '--url', 'not a url'])).toMatchObject({ code: 2 });
  }, 30_000);
});

describe('stateproof probe --adapter sqlite', () => {
  it('the defaults (WAL, synchronous=FULL) certify restart-safe-local, never shared-durable', async () => {
    const file = join(tempDir(), 'state.db');
    const r = await probeJson(['--adapter', 'sqlite', '--file', file]);
    expect(r.code).toBe(1);
    expect(r.doc.settings).toMatchObject({ path: file, journal_mode: 'wal', synchronous: 'full' });
    expect(r.doc.faults).toEqual({ 'process-kill': 'no-loss', 'backend-kill': 'no-loss', 'os-crash': 'no-loss' });
    expect(r.certified).toEqual({
      ephemeral: true,
      'restart-safe-local': true,
      'shared-durable': false,
      'derived-projection': true,
      telemetry: true,
    });
    const only = await probe(['--adapter', 'sqlite', '--file', file, '--class', 'restart-safe-local,ephemeral']);
    expect(only.code).toBe(0);
    expect(only.out).toMatch(/restart-safe-local +certifiable/);
    expect(only.out).not.toContain('shared-durable');
  });

  it('synchronous=OFF (a module target) refuses the durable classes and prints the fix', async () => {
    const r = await probe(['--adapter', './sqlite-sync-off.mjs', '--class', 'restart-safe-local,derived-projection']);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(/synchronous +off/);
    expect(r.out).toMatch(/os-crash +loses-all/);
    expect(r.out).toMatch(/restart-safe-local +NOT certifiable \(falls short on os-crash\)/);
    expect(r.out).toMatch(/derived-projection +NOT certifiable/);
    expect(r.out).toMatch(/reason: os-crash \(no-loss demanded, the backend loses-all\): synchronous=off/);
    expect(r.out).toContain("fix:    synchronous: 'full' in sqliteAdapter's options (PRAGMA synchronous=FULL)");
    const j = await probeJson(['--adapter', './sqlite-sync-off.mjs']);
    expect(j.doc.classes.find((c) => c.class === 'restart-safe-local')).toMatchObject({
      certified: false,
      unmet: ['os-crash'],
      fixes: [expect.stringContaining('PRAGMA synchronous=FULL')],
    });
  });
});

describe.skipIf(!PG_SHARED)('stateproof probe --adapter postgres (the local server)', () => {
  it('reports every class with the settings read and reasons', async () => {
    const r = await probe(['--adapter', 'postgres'], { STATEPROOF_PG_URL: PG_URL });
    expect([0, 1]).toContain(r.code);
    for (const s of ['fsync', 'synchronous_commit', 'full_page_writes'])
      expect(r.out).toMatch(new RegExp(`\\n  ${s} +\\S`));
    for (const c of ['ephemeral', 'restart-safe-local', 'shared-durable', 'derived-projection', 'telemetry'])
      expect(r.out).toMatch(new RegExp(`\\n  ${c} +(certifiable|NOT certifiable)`));
    expect(r.out).toContain('reason: ');
    const j = await probeJson(['--adapter', 'postgres', '--url', PG_URL]);
    expect(j.doc.backend.name).toBe('postgres');
    expect(j.doc.classes).toHaveLength(5);
    // The CI service runs Postgres with its defaults: every class is certifiable.
    if (j.doc.settings['synchronous_commit'] !== 'off' && j.doc.settings['fsync'] === 'on') {
      expect(j.code).toBe(0);
      expect(Object.values(j.certified).every(Boolean)).toBe(true);
    }
  });
});

describe.skipIf(!PG_OWN)('stateproof probe --adapter postgres (servers of its own)', () => {
  const servers: PostgresServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('synchronous_commit=off refuses the durable classes and prints ALTER SYSTEM … then reload', async () => {
    const server = await PostgresServer.start({ settings: { synchronous_commit: 'off' } });
    servers.push(server);
    const r = await probe(['--adapter', 'postgres', '--url', server.url]);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(/synchronous_commit +off/);
    expect(r.out).toMatch(/backend-kill +loses-recent/);
    expect(r.out).toMatch(/restart-safe-local +NOT certifiable \(falls short on backend-kill, os-crash\)/);
    expect(r.out).toMatch(/shared-durable +NOT certifiable/);
    expect(r.out).toMatch(/derived-projection +certifiable/);
    expect(r.out).toContain('fix:    ALTER SYSTEM SET synchronous_commit = on; SELECT pg_reload_conf();');
    const j = await probeJson(['--adapter', 'postgres', '--url', server.url, '--class', 'shared-durable']);
    expect(j.code).toBe(1);
    expect(j.doc.classes).toEqual([
      expect.objectContaining({ class: 'shared-durable', certified: false, unmet: ['backend-kill', 'os-crash'] }),
    ]);
  }, 120_000);

  it('--own-server starts a durable server: every class certifiable, exit 0', async () => {
    const r = await probeJson(['--adapter', 'postgres', '--own-server']);
    expect(r.code).toBe(0);
    expect(Object.values(r.certified).every(Boolean)).toBe(true);
  }, 120_000);
});

describe.skipIf(!REDIS_SHARED)('stateproof probe --adapter redis (the local server)', () => {
  it('without persistence refuses the durable classes with the CONFIG SET that fixes it', async () => {
    const r = await probe(['--adapter', 'redis', '--url', REDIS_URL]);
    const j = await probeJson(['--adapter', 'redis', '--url', REDIS_URL]);
    if (j.doc.settings['appendonly'] !== 'no') return; // a persistent server is not the CI service
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/appendonly +no/);
    expect(r.out).toMatch(/shared-durable +NOT certifiable \(falls short on backend-kill, os-crash\)/);
    expect(r.out).toContain('fix:    CONFIG SET appendonly yes');
    expect(r.out).toContain('fix:    CONFIG SET appendfsync always');
    expect(j.certified).toMatchObject({
      ephemeral: true,
      telemetry: true,
      'shared-durable': false,
      'restart-safe-local': false,
    });
  });
});

describe.skipIf(!REDIS_OWN)('stateproof probe --adapter redis (servers of its own)', () => {
  const servers: RedisServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('appendfsync always certifies every class; everysec refuses the durable ones with the fix', async () => {
    const always = await RedisServer.start();
    servers.push(always);
    const ok = await probeJson(['--adapter', 'redis', '--url', always.url]);
    expect(ok.doc.settings).toMatchObject({ appendonly: 'yes', appendfsync: 'always' });
    expect(ok.code).toBe(0);
    expect(Object.values(ok.certified).every(Boolean)).toBe(true);
    const everysec = await RedisServer.start({ settings: { appendfsync: 'everysec' } });
    servers.push(everysec);
    const r = await probe(['--adapter', 'redis', '--url', everysec.url, '--class', 'shared-durable']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/backend-kill +loses-recent/);
    expect(r.out).toContain('fix:    CONFIG SET appendfsync always');
  }, 60_000);
});

/** `stateproof lint` in `cwd`, its report as JSON (checked against the lint report schema). */
async function lintJson(cwd: string, argv: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (t: string) => void (out += t) },
    stderr: { write: (t: string) => void (err += t) },
    cwd,
    env: {},
  };
  const code = await main(['lint', ...argv, '--format', 'json'], io);
  const report = out === '' ? undefined : (JSON.parse(out) as LintReportDocument);
  if (report) expect(checkDocument(LintReportSchema, report)).toEqual([]);
  return { code, report, err };
}

describe('stateproof lint --probe: the command line', () => {
  it('refuses --probe without an inventory (exit 2, with the command to run)', async () => {
    const r = await lintJson(tempDir(), ['--probe']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('stateproof lint --inventory state.yaml --probe');
  });
});

describe.skipIf(!REDIS_OWN)('stateproof lint --probe (redis servers of its own)', () => {
  const servers: RedisServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('takes the current class of a surface that names only its backend URL from the probe: a gap only where the probe refuses', async () => {
    const [durable, lossy] = await Promise.all([
      RedisServer.start(),
      RedisServer.start({ settings: { appendfsync: 'everysec' } }),
    ]);
    servers.push(durable, lossy);
    const dir = tempDir();
    writeFileSync(
      join(dir, 'state.yaml'),
      [
        'surfaces:',
        '  - id: router.responses',
        '    kind: record',
        '    durability: shared-durable',
        `    current: { backend: '${durable.url}' }`,
        '  - id: router.sessions',
        '    kind: record',
        '    durability: shared-durable',
        `    current: { backend: '${lossy.url}' }`,
        '',
      ].join('\n'),
    );
    // Without --probe a URL says nothing of the class: no finding.
    const plain = await lintJson(dir, ['--inventory', 'state.yaml']);
    expect(plain.code).toBe(0);
    expect(plain.report?.diagnostics).toEqual([]);
    const probed = await lintJson(dir, ['--inventory', 'state.yaml', '--probe', '--fail-on', 'warning']);
    expect(probed.err).toContain(`probing ${lossy.url}`);
    expect(probed.code).toBe(1);
    expect(probed.report?.diagnostics.map((d) => [d.rule, d.surfaceId])).toEqual([
      ['durability-gap', 'router.sessions'],
    ]);
    expect(probed.report?.gaps).toEqual([
      expect.objectContaining({ surfaceId: 'router.sessions', declared: 'shared-durable', current: 'ephemeral' }),
    ]);
  }, 60_000);

  it('an unreachable backend URL exits 2 and says what to check', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'state.yaml'),
      "surfaces:\n  - id: a.b\n    kind: record\n    durability: shared-durable\n    current: { backend: 'redis://127.0.0.1:1' }\n",
    );
    const r = await lintJson(dir, ['--inventory', 'state.yaml', '--probe']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('could not probe the redis backend at redis://127.0.0.1:1');
  }, 30_000);
});
