import { mkdtempSync, readFileSync } from 'node:fs';
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

describe('the README main job: stateproof certifies SQLite with no server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stateproof-certify-'));

  it('stateproof conform --adapter sqlite passes every applicable requirement', async () => {
    const h = io(dir);
    const code = await main(
      ['conform', '--adapter', 'sqlite', '--runs', LONG ? '300' : '10', '--seed', '11', '--out', 'certificate.json'],
      h.io,
    );
    expect(h.out()).toMatch(/^PASS: sqlite/);
    expect(code).toBe(0);
    const cert = JSON.parse(readFileSync(join(dir, 'certificate.json'), 'utf8')) as CertificateDocument;
    expect(checkDocument(CertificateSchema, cert)).toEqual([]);
    expect(cert.classes).toEqual(
      expect.arrayContaining([{ class: 'restart-safe-local', kind: 'queue', verdict: 'pass' }]),
    );
  }, 600_000);

  it('stateproof crash --adapter sqlite kills workers, mid-batch too, and finds nothing lost; the certificate gets the results', async () => {
    const h = io(dir);
    const code = await main(
      ['crash', '--adapter', 'sqlite', '--kills', LONG ? '40' : '3', '--seed', '11', '--out', 'certificate.json'],
      h.io,
    );
    expect(h.out()).toMatch(/^PASS: sqlite, class restart-safe-local/);
    expect(h.err()).toMatch(LONG ? /killed w\d/ : /\[3\/3\] killed w\d\.\d/);
    expect(code).toBe(0);
    const cert = JSON.parse(readFileSync(join(dir, 'certificate.json'), 'utf8')) as CertificateDocument;
    expect(checkDocument(CertificateSchema, cert)).toEqual([]);
    expect(cert.verdict).toBe('pass');
    expect(cert.crash.map((c) => c.scenario).sort()).toEqual([
      'process-kill/claim',
      'process-kill/dataspace',
      'process-kill/log',
      'process-kill/queue',
      'process-kill/record',
    ]);
    expect(cert.requirements.find((r) => r.id === 'QUE-036')?.properties).toEqual(
      expect.arrayContaining(['queue/reopen [restart-safe-local]', 'crash:process-kill/queue [restart-safe-local]']),
    );
  }, 600_000);

  it('refuses to crash-test an adapter that promises nothing across a restart', async () => {
    const h = io(dir);
    expect(await main(['crash', '--adapter', 'memory'], h.io)).toBe(2);
    expect(h.err()).toContain('claims no class that survives a process kill');
  });
});
