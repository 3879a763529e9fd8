import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SPEC_VERSION, type CertificateDocument } from '@stateproof/spec';
import { adapterAnchor, certificationMatrix, matrixCell } from '@stateproof/docs';

const read = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../docs/certificates/${name}.json`, import.meta.url), 'utf8'),
  ) as CertificateDocument;

/** A copy of a real certificate with some verdicts changed, as a broken or shortened run would write it. */
function altered(): CertificateDocument {
  const c = structuredClone(read('sqlite'));
  const verdict = (cls: string, kind: string) => c.classes.find((v) => v.class === cls && v.kind === kind)!;
  Object.assign(verdict('restart-safe-local', 'queue'), {
    verdict: 'fail',
    checks: [{ check: 'process-crash', status: 'fail', detail: 'queue: 3 tasks lost' }],
  });
  Object.assign(verdict('restart-safe-local', 'claim'), {
    verdict: 'partial',
    missing: ['process-crash'],
    checks: [{ check: 'process-crash', status: 'missing', detail: 'not run: run stateproof crash' }],
  });
  c.classes = c.classes.filter((v) => !(v.class === 'telemetry' && v.kind === 'log'));
  const failed = c.requirements.find((r) => r.id === 'QUE-001')!;
  Object.assign(failed, {
    status: 'fail',
    reason: 'claimed twice',
    replay: { seed: 7, command: 'stateproof conform --adapter sqlite --seed 7' },
  });
  const prj = c.requirements.find((r) => r.id.startsWith('PRJ-'))!;
  Object.assign(prj, { status: 'fail', reason: 'cursor ahead' });
  c.verdict = 'fail';
  return c;
}

describe('certification matrix', () => {
  it('says certified, partial, fail, not run and not claimed from what ran, never from a claim', () => {
    const c = altered();
    expect(matrixCell(c, 'record', 'restart-safe-local')).toBe('certified');
    expect(matrixCell(c, 'queue', 'restart-safe-local')).toBe('fail');
    expect(matrixCell(c, 'claim', 'restart-safe-local')).toBe('partial');
    expect(matrixCell(c, 'log', 'telemetry')).toBe('not run');
    expect(matrixCell(c, 'claim', 'shared-durable')).toBe('not claimed');
  });

  it('links every cell to its evidence: seed, date, backend, crash runs, missing checks, failed requirements with replays', () => {
    const c = altered();
    const { path, text } = certificationMatrix({
      certificates: [{ link: 'certificates/sqlite.json', certificate: c }],
      command: 'stateproof docs matrix x --out docs',
      contractLink: 'reference',
    });
    expect(path).toBe('certification.md');
    const row = text.split('\n').find((l) => l.startsWith('| [sqlite](#adapter-sqlite) | queue |'))!;
    expect(row).toContain(`[❌ fail](#${adapterAnchor(c)})`);
    expect(text.split('\n').find((l) => l.startsWith('| [sqlite](#adapter-sqlite) | claim |'))).toContain('🟡 partial');
    expect(text.split('\n').find((l) => l.startsWith('| [sqlite](#adapter-sqlite) | log |'))).toContain('not run');
    expect(text).toContain(`<a id="${adapterAnchor(c)}"></a>`);
    expect(text).toContain(`\`${c.run.seed}\``);
    expect(text).toContain(c.run.startedAt);
    expect(text).toContain(`sqlite ${c.backend.version}`);
    expect(text).toContain('`synchronous=full`');
    for (const crash of c.crash) expect(text).toContain(`| ${crash.scenario} | ${crash.class} |`);
    expect(text).toContain('process-crash (missing): not run: run stateproof crash');
    expect(text).toContain('[QUE-001](reference/queue.md#que-001)');
    expect(text).toContain('`stateproof conform --adapter sqlite --seed 7`');
    expect(text).toMatch(/\[PRJ-\d{3}\]\(reference\/classes\.md#prj-\d{3}\)/);
  });

  it('shows per crash run its process kills, backend kills, acknowledged operations, seed and every violation counted', () => {
    const c = structuredClone(read('sqlite'));
    const base = { class: 'restart-safe-local' as const, status: 'pass' as const, durationMs: 1 };
    c.crash = [
      {
        ...base,
        scenario: 'process-and-backend-kill/queue',
        kinds: ['queue'],
        kills: 1000,
        backendKills: 50,
        acknowledged: 1_234_567,
        checks: ['process-crash', 'backend-crash'],
        violations: [],
        violationCount: 0,
        seed: 2026,
      },
      {
        ...base,
        scenario: 'process-kill/log',
        kinds: ['log'],
        kills: 300,
        acknowledged: 9,
        status: 'fail',
        violations: ['log w0: a gap'],
        violationCount: 120,
        seed: 7,
      },
      // A telemetry outage: its kill is of the server.
      {
        ...base,
        class: 'telemetry',
        scenario: 'backend-outage/log',
        kinds: ['log'],
        kills: 1,
        acknowledged: 74,
        violations: [],
      },
      // An older entry: no backend kill count, no seed.
      {
        ...base,
        scenario: 'process-and-backend-kill/record',
        kinds: ['record'],
        kills: 2,
        acknowledged: 3,
        violations: [],
      },
    ];
    const { text } = certificationMatrix({ certificates: [{ link: 'c.json', certificate: c }], command: 'x' });
    expect(text).toContain(
      '| scenario | class | kinds | process kills | backend kills | acknowledged | seed | status | violations |',
    );
    expect(text).toContain(
      '| process-and-backend-kill/queue | restart-safe-local | queue | 1000 | 50 | 1234567 | 2026 | pass | 0 |',
    );
    expect(text).toContain(
      '| process-kill/log | restart-safe-local | log | 300 | 0 | 9 | 7 | fail | 120: log w0: a gap |',
    );
    expect(text).toContain(
      '| process-and-backend-kill/record | restart-safe-local | record | 2 | not counted | 3 | — | pass | 0 |',
    );
    expect(text).toContain('| backend-outage/log | telemetry | log | 0 | 1 | 74 | — | pass | 0 |');
  });

  it('marks a certificate of another spec version as stale', () => {
    const c = { ...read('memory'), specVersion: '0.0.1' };
    const { text } = certificationMatrix({ certificates: [{ link: 'm.json', certificate: c }], command: 'x' });
    expect(text).toContain(`certified against spec 0.0.1; the contract is now at ${SPEC_VERSION}`);
  });

  it('is deterministic whatever the order of the certificates, and refuses two of one adapter', () => {
    const a = { link: 'certificates/memory.json', certificate: read('memory') };
    const b = { link: 'certificates/sqlite.json', certificate: read('sqlite') };
    expect(certificationMatrix({ certificates: [b, a], command: 'x' })).toEqual(
      certificationMatrix({ certificates: [a, b], command: 'x' }),
    );
    expect(() => certificationMatrix({ certificates: [a, { ...a, link: 'other.json' }], command: 'x' })).toThrow(
      /two certificates of the same adapter: memory/,
    );
  });
});
