import { describe, expect, it } from 'vitest';
import { certify, sqliteFindings, type SqliteSettings } from '@stateproof/adapter-sqlite';

const settings = (s: Partial<SqliteSettings>): SqliteSettings => ({
  file: '/var/lib/app/state.db',
  journalMode: 'wal',
  synchronous: 'full',
  sqliteVersion: '3.45.0',
  ...s,
});

// One row per setting: what each fault loses, and the classes it certifies (CLASS_FAULTS decides).
const ROWS: Array<{
  s: Partial<SqliteSettings>;
  faults: [string, string, string];
  certified: string[];
  fix?: RegExp;
}> = [
  {
    s: {},
    faults: ['no-loss', 'no-loss', 'no-loss'],
    certified: ['ephemeral', 'restart-safe-local', 'derived-projection', 'telemetry'],
  },
  {
    s: { synchronous: 'extra' },
    faults: ['no-loss', 'no-loss', 'no-loss'],
    certified: ['ephemeral', 'restart-safe-local', 'derived-projection', 'telemetry'],
  },
  {
    s: { journalMode: 'delete' },
    faults: ['no-loss', 'no-loss', 'no-loss'],
    certified: ['ephemeral', 'restart-safe-local', 'derived-projection', 'telemetry'],
  },
  {
    s: { journalMode: 'truncate', synchronous: 'extra' },
    faults: ['no-loss', 'no-loss', 'no-loss'],
    certified: ['ephemeral', 'restart-safe-local', 'derived-projection', 'telemetry'],
  },
  {
    s: { synchronous: 'normal' },
    faults: ['no-loss', 'no-loss', 'loses-recent'],
    certified: ['ephemeral', 'derived-projection', 'telemetry'],
    fix: /PRAGMA synchronous=FULL/,
  },
  {
    s: { synchronous: 'normal', journalMode: 'delete' },
    faults: ['no-loss', 'no-loss', 'loses-all'],
    certified: ['ephemeral', 'telemetry'],
    fix: /PRAGMA synchronous=FULL/,
  },
  {
    s: { synchronous: 'off' },
    faults: ['no-loss', 'no-loss', 'loses-all'],
    certified: ['ephemeral', 'telemetry'],
    fix: /PRAGMA synchronous=FULL/,
  },
  {
    s: { journalMode: 'memory' },
    faults: ['loses-all', 'loses-all', 'loses-all'],
    certified: ['ephemeral', 'telemetry'],
    fix: /PRAGMA journal_mode=WAL/,
  },
  {
    s: { journalMode: 'off' },
    faults: ['loses-all', 'loses-all', 'loses-all'],
    certified: ['ephemeral', 'telemetry'],
    fix: /PRAGMA journal_mode=WAL/,
  },
  {
    s: { file: ':memory:', journalMode: 'memory' },
    faults: ['loses-all', 'loses-all', 'loses-all'],
    certified: ['ephemeral', 'telemetry'],
    fix: /open a file/,
  },
];

describe('sqlite probe: each setting against the faults each class must survive', () => {
  it.each(ROWS)('$s', ({ s, faults, certified, fix }) => {
    const f = sqliteFindings(settings(s));
    expect([f['process-kill'].outcome, f['backend-kill'].outcome, f['os-crash'].outcome]).toEqual(faults);
    const verdicts = certify(settings(s));
    expect(verdicts.filter((v) => v.certified).map((v) => v.class)).toEqual(certified);
    const local = verdicts.find((v) => v.class === 'restart-safe-local')!;
    if (fix) {
      expect(local.fixes?.join('\n')).toMatch(fix);
      expect(local.unmet?.length).toBeGreaterThan(0);
    } else expect(local.fixes).toEqual([]);
  });

  it('never certifies shared-durable, and says where to host it', () => {
    const shared = certify(settings({})).find((v) => v.class === 'shared-durable')!;
    expect(shared.certified).toBe(false);
    expect(shared.unmet).toEqual([]);
    expect(shared.reasons.join(' ')).toMatch(/one host/);
    expect(shared.fixes?.join(' ')).toMatch(/Postgres/);
  });
});
