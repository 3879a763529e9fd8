import { afterAll, describe, expect, it } from 'vitest';
import { certify, postgresFindings, type PostgresSettings } from '@stateproof/adapter-postgres';
import { checkDocument, ProbeResultSchema } from '@stateproof/spec';
import { PG_AVAILABLE, TestSchemas } from './pg-test-server.js';

const schemas = new TestSchemas();
afterAll(() => schemas.cleanup());

const durable: PostgresSettings = {
  server_version: '15.0',
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  wal_level: 'replica',
  data_checksums: 'off',
  synchronous_standby_names: '',
  autovacuum: 'on',
};
const adapter = { name: 'postgres', version: '0.1.0' };
const verdict = (s: Partial<PostgresSettings>) =>
  Object.fromEntries(certify({ ...durable, ...s }, adapter, new Date(0)).classes.map((c) => [c.class, c.certified]));
const verdictOf = (s: Partial<PostgresSettings>, cls: string) =>
  certify({ ...durable, ...s }, adapter, new Date(0)).classes.find((c) => c.class === cls)!;
const ALL = ['ephemeral', 'restart-safe-local', 'shared-durable', 'derived-projection', 'telemetry'];
const reasons = (s: Partial<PostgresSettings>, cls: string) =>
  certify({ ...durable, ...s }, adapter, new Date(0))
    .classes.find((c) => c.class === cls)!
    .reasons.join(' ');

// One row per setting: what each fault loses, and the classes it certifies (CLASS_FAULTS decides).
const ROWS: Array<{
  s: Partial<PostgresSettings>;
  faults: [string, string, string];
  certified: string[];
  fix?: RegExp;
}> = [
  { s: {}, faults: ['no-loss', 'no-loss', 'no-loss'], certified: ALL },
  ...['local', 'remote_write', 'remote_apply'].map((sc) => ({
    s: { synchronous_commit: sc },
    faults: ['no-loss', 'no-loss', 'no-loss'] as [string, string, string],
    certified: ALL,
  })),
  {
    s: { synchronous_commit: 'off' },
    faults: ['no-loss', 'loses-recent', 'loses-recent'],
    certified: ['ephemeral', 'derived-projection', 'telemetry'],
    fix: /ALTER SYSTEM SET synchronous_commit = on; SELECT pg_reload_conf\(\)/,
  },
  {
    s: { fsync: 'off' },
    faults: ['no-loss', 'no-loss', 'loses-all'],
    certified: ['ephemeral', 'telemetry'],
    fix: /ALTER SYSTEM SET fsync = on/,
  },
  {
    s: { full_page_writes: 'off' },
    faults: ['no-loss', 'no-loss', 'loses-all'],
    certified: ['ephemeral', 'telemetry'],
    fix: /ALTER SYSTEM SET full_page_writes = on/,
  },
  {
    s: { fsync: 'off', synchronous_commit: 'off' },
    faults: ['no-loss', 'loses-recent', 'loses-all'],
    certified: ['ephemeral', 'telemetry'],
    fix: /synchronous_commit = on[^]*fsync = on/,
  },
];

describe('postgres probe: each setting against the faults each class must survive', () => {
  it.each(ROWS)('$s', ({ s, faults, certified, fix }) => {
    const f = postgresFindings({ ...durable, ...s });
    expect([f['process-kill'].outcome, f['backend-kill'].outcome, f['os-crash'].outcome]).toEqual(faults);
    const r = certify({ ...durable, ...s }, adapter, new Date(0));
    expect(checkDocument(ProbeResultSchema, r)).toEqual([]);
    expect(r.faults).toEqual({ 'process-kill': faults[0], 'backend-kill': faults[1], 'os-crash': faults[2] });
    expect(r.classes.filter((c) => c.certified).map((c) => c.class)).toEqual(certified);
    for (const cls of ['restart-safe-local', 'shared-durable'])
      if (fix) expect(verdictOf(s, cls).fixes?.join('\n'), cls).toMatch(fix);
      else expect(verdictOf(s, cls).fixes).toEqual([]);
  });

  it('restart-safe-local follows the same rule as SQLite: synchronous_commit=off refuses it, and the reason says why', () => {
    expect(verdict({ synchronous_commit: 'off' })['restart-safe-local']).toBe(false);
    expect(verdictOf({ synchronous_commit: 'off' }, 'restart-safe-local').unmet).toEqual(['backend-kill', 'os-crash']);
    expect(reasons({ synchronous_commit: 'off' }, 'restart-safe-local')).toMatch(/synchronous_commit=off/);
    expect(reasons({ fsync: 'off' }, 'shared-durable')).toMatch(/fsync=off/);
    expect(reasons({ full_page_writes: 'off' }, 'derived-projection')).toMatch(/full_page_writes=off/);
  });
});

describe.skipIf(!PG_AVAILABLE)('postgres probe of the live server', () => {
  it('reads fsync, synchronous_commit and full_page_writes and returns a valid probe result', async () => {
    const a = await schemas.open();
    const probe = await a.probe();
    expect(checkDocument(ProbeResultSchema, probe)).toEqual([]);
    expect(Object.keys(probe.settings)).toEqual(
      expect.arrayContaining(['fsync', 'synchronous_commit', 'full_page_writes']),
    );
    expect(probe.classes.map((c) => c.class).sort()).toEqual([
      'derived-projection',
      'ephemeral',
      'restart-safe-local',
      'shared-durable',
      'telemetry',
    ]);
  });
});
