import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CertificateSchema, checkDocument, type CertificateDocument } from '@stateproof/spec';
import { main, type CliIo } from 'stateproof';

// STATEPROOF_LONG=1 runs the deep versions: many more property runs and kills.
const LONG = process.env['STATEPROOF_LONG'] === '1';

function io(cwd: string) {
  let out = '';
  let err = '';
  const value: CliIo = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    cwd,
    env: {},
  };
  return { io: value, out: () => out, err: () => err };
}

function readCertificate(path: string): CertificateDocument {
  const cert = JSON.parse(readFileSync(path, 'utf8')) as CertificateDocument;
  expect(checkDocument(CertificateSchema, cert)).toEqual([]);
  return cert;
}

const verdicts = (cert: CertificateDocument) =>
  cert.classes.map((c) => `${c.kind}:${c.class}:${c.verdict}:${c.missing.join(',')}`).sort();

describe('the README main job: stateproof certifies SQLite with no server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stateproof-certify-'));

  it('stateproof conform --adapter sqlite alone: nothing fails, but restart-safe-local is partial (crash not run)', async () => {
    const h = io(dir);
    const code = await main(
      ['conform', '--adapter', 'sqlite', '--runs', LONG ? '300' : '10', '--seed', '11', '--out', 'certificate.json'],
      h.io,
    );
    expect(h.out()).toMatch(/^PARTIAL: sqlite/);
    expect(h.out()).toMatch(
      /class restart-safe-local: partial\n {2}record, log, claim, queue, dataspace: partial: process-crash missing \(no process was killed/,
    );
    expect(h.out()).toContain('class ephemeral: certified (record, log, claim, queue, dataspace, channel)');
    expect(code).toBe(0);
    const cert = readCertificate(join(dir, 'certificate.json'));
    expect(cert.verdict).toBe('partial');
    expect(verdicts(cert)).toEqual(
      expect.arrayContaining(['queue:ephemeral:certified:', 'queue:restart-safe-local:partial:process-crash']),
    );
    // The durability requirements a crash decides are not passed by close-and-reopen.
    for (const id of ['REC-032', 'LOG-030', 'CLM-019', 'QUE-036'])
      expect(
        cert.requirements.find((r) => r.id === id),
        id,
      ).toMatchObject({
        status: 'skip',
        reason: expect.stringContaining('a crash is still owed (process-crash for restart-safe-local)'),
      });
  }, 600_000);

  it('stateproof crash --out adds the kills to that certificate: restart-safe-local, then derived-projection becomes certified', async () => {
    const h = io(dir);
    const code = await main(
      ['crash', '--adapter', 'sqlite', '--kills', LONG ? '40' : '3', '--seed', '11', '--out', 'certificate.json'],
      h.io,
    );
    expect(h.out()).toMatch(/^PASS: sqlite, class restart-safe-local/);
    expect(h.err()).toMatch(LONG ? /killed w\d/ : /\[3\/3\] killed w\d\.\d/);
    expect(code).toBe(0);
    const cert = readCertificate(join(dir, 'certificate.json'));
    expect(cert.classes.filter((c) => c.class !== 'derived-projection').every((c) => c.verdict === 'certified')).toBe(
      true,
    );
    expect(cert.crash.map((c) => c.scenario).sort()).toEqual([
      'process-kill/claim',
      'process-kill/dataspace',
      'process-kill/log',
      'process-kill/queue',
      'process-kill/record',
    ]);
    // A derived projection's crash run is its own (projectors killed mid-batch): still owed.
    expect(cert.verdict).toBe('partial');
    expect(cert.classes.filter((c) => c.class === 'derived-projection').map((c) => [c.kind, c.missing])).toEqual([
      ['record', ['process-crash']],
      ['log', ['process-crash']],
    ]);
    const p = io(dir);
    expect(
      await main(
        [
          'crash',
          '--adapter',
          'sqlite',
          '--class',
          'derived-projection',
          '--kills',
          '3',
          '--seed',
          '11',
          '--out',
          'certificate.json',
        ],
        p.io,
      ),
    ).toBe(0);
    expect(p.out()).toMatch(/^PASS: sqlite, class derived-projection/);
    const both = readCertificate(join(dir, 'certificate.json'));
    expect(both.verdict).toBe('certified');
    expect(both.classes.every((c) => c.verdict === 'certified')).toBe(true);
    expect(both.requirements.find((r) => r.id === 'PRJ-003')).toMatchObject({ status: 'pass' });
    expect(cert.requirements.find((r) => r.id === 'QUE-036')).toMatchObject({
      status: 'pass',
      properties: expect.arrayContaining([
        'queue/reopen [restart-safe-local]',
        'crash:process-kill/queue [restart-safe-local]',
      ]),
    });
  }, 600_000);

  it('stateproof certify --adapter sqlite (what `npm run certify` runs) does both and certifies every class: exit 0', async () => {
    const h = io(dir);
    const code = await main(
      [
        'certify',
        '--adapter',
        'sqlite',
        '--runs',
        LONG ? '100' : '3',
        '--kills',
        LONG ? '20' : '2',
        '--seed',
        '5',
        '--out',
        'certified.json',
      ],
      h.io,
    );
    expect(h.out()).toMatch(/^CERTIFIED: sqlite/);
    expect(h.out()).toContain('class restart-safe-local: certified (record, log, claim, queue, dataspace)');
    expect(h.out()).toMatch(/crash pass process-kill\/record \[restart-safe-local\]: 2 kills/);
    expect(h.err()).toMatch(/checking sqlite: \d+ property runs/); // conform's progress
    expect(h.err()).toMatch(/crash harness on record, log, claim, queue, dataspace \(restart-safe-local\)/);
    expect(code).toBe(0);
    const cert = readCertificate(join(dir, 'certified.json'));
    expect(cert.verdict).toBe('certified');
    expect(verdicts(cert)).toContain('record:restart-safe-local:certified:');
    expect(cert.crash.every((c) => c.status === 'pass')).toBe(true);
    expect([...new Set(cert.crash.map((c) => c.class))].sort()).toEqual(['derived-projection', 'restart-safe-local']);
    expect(verdicts(cert)).toEqual(
      expect.arrayContaining(['record:derived-projection:certified:', 'log:telemetry:certified:']),
    );
    expect(cert.requirements.find((r) => r.id === 'REC-032')).toMatchObject({ status: 'pass' });
    expect(JSON.parse(readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8')).scripts.certify).toBe(
      'stateproof certify --adapter sqlite --out .stateproof/sqlite-certificate.json',
    );
  }, 600_000);

  it('refuses to crash-test an adapter that promises nothing across a restart', async () => {
    const h = io(dir);
    expect(await main(['crash', '--adapter', 'memory'], h.io)).toBe(2);
    expect(h.err()).toContain('claims no class that survives a process kill');
  });

  it('certify of an adapter claiming no durable class (memory: ephemeral, and telemetry for logs) needs no crash and certifies; a selection naming nothing writes nothing', async () => {
    const h = io(dir);
    expect(
      await main(['certify', '--adapter', 'memory', '--kinds', 'record', '--runs', '2', '--seed', '1'], h.io),
    ).toBe(0);
    expect(h.out()).toMatch(/^CERTIFIED: memory/);
    expect(h.out()).not.toContain('crash ');
    const bad = io(dir);
    expect(
      await main(['certify', '--adapter', 'memory', '--class', 'restart-safe-local', '--out', 'none.json'], bad.io),
    ).toBe(2);
    expect(bad.err()).toContain('the adapter does not claim restart-safe-local');
    expect(bad.err()).toContain('Valid: ephemeral, telemetry.');
    expect(existsSync(join(dir, 'none.json'))).toBe(false);
  });
});
