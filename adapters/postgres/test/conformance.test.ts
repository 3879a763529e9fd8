import { describe, expect, it } from 'vitest';
import { runConformance, type ConformanceReport } from '@stateproof/conformance';
import { postgresTarget } from '../../../packages/cli/src/targets/postgres-target.js';
import { PG_AVAILABLE, PG_URL } from './pg-test-server.js';

/** Deep runs (STATEPROOF_LONG=1) use the suite's default; the everyday run keeps the repo suite fast. */
const LONG = process.env['STATEPROOF_LONG'] === '1';

/** Requirements about expiry that a server clock must still cover (through the tolerance-based properties). */
const EXPIRY_REQUIREMENTS = [
  'REC-018', 'REC-019', 'REC-020',
  'LOG-008', 'LOG-009', 'LOG-010',
  'CLM-002', 'CLM-004', 'CLM-006', 'CLM-007', 'CLM-010',
  'QUE-004', 'QUE-006', 'QUE-009', 'QUE-010', 'QUE-011', 'QUE-013', 'QUE-014', 'QUE-015', 'QUE-022', 'QUE-023', 'QUE-024', 'QUE-025',
  'DSP-001', 'DSP-002', 'DSP-003', 'DSP-007', 'DSP-009', 'DSP-024',
];

function summary(report: ConformanceReport): string {
  const count = (s: string) => report.requirements.filter((r) => r.status === s).length;
  const failed = report.requirements.filter((r) => r.status === 'fail').map((r) => `  ${r.id}: ${r.reason}\n    replay: ${r.replay?.command ?? '-'}`);
  const skipped = report.requirements.filter((r) => r.status === 'skip').map((r) => `  ${r.id}: ${r.reason}`);
  return [
    `${report.certificate.adapter.name}: ${report.verdict}, ${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped in ${Math.round(report.certificate.run.durationMs / 1000)} s (seed ${report.certificate.run.seed}, ${report.certificate.run.runs} runs)`,
    ...(failed.length ? ['failed:', ...failed] : []),
    ...(skipped.length ? ['skipped:', ...skipped] : []),
  ].join('\n');
}

describe.skipIf(!PG_AVAILABLE)('conformance of the postgres adapter', () => {
  it('passes every applicable requirement with the server clock (shared-durable; ephemeral for channels)', async () => {
    const report = await runConformance({ target: postgresTarget({ url: PG_URL }), ...(LONG ? {} : { runs: 4 }) });
    console.log(summary(report));
    expect(report.requirements.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.reason}`)).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.certificate.classes.map((c) => `${c.kind}:${c.class}:${c.verdict}`).sort()).toEqual(
      ['channel:ephemeral', 'claim:shared-durable', 'dataspace:shared-durable', 'log:shared-durable', 'queue:shared-durable', 'record:shared-durable'].map((c) => `${c}:pass`),
    );
    const uncovered = EXPIRY_REQUIREMENTS.filter((id) => report.requirements.find((r) => r.id === id)?.status !== 'pass');
    expect(uncovered, 'expiry requirements a server clock must still cover').toEqual([]);
  }, 900_000);

  it('passes every requirement with an injected clock, so the exact model-based properties check the SQL too', async () => {
    const report = await runConformance({ target: postgresTarget({ url: PG_URL, injectClock: true }), ...(LONG ? {} : { runs: 2 }) });
    console.log(summary(report));
    expect(report.requirements.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.reason}`)).toEqual([]);
    expect(report.verdict).toBe('pass');
  }, 900_000);
});
