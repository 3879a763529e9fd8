import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { CertificateSchema, checkDocument } from '@stateproof/spec';
import { memoryTarget } from '@stateproof/adapter-memory/conformance';
import type { ConformanceReport } from '@stateproof/conformance';
import { describeConformance } from '@stateproof/conformance/vitest';

// The memory adapter must pass every requirement that applies to the ephemeral class, through the
// same vitest entry an adapter author uses.
const certificate = join(mkdtempSync(join(tmpdir(), 'stateproof-conformance-')), 'memory.json');
let report: ConformanceReport | undefined;
describeConformance(memoryTarget(), { runs: 30, seed: 20261124, certificate, onReport: (r) => void (report = r) });

it('writes a certificate that is valid against spec/schema/certificate.schema.json', () => {
  expect(report).toBeDefined();
  const written = JSON.parse(readFileSync(certificate, 'utf8')) as unknown;
  expect(checkDocument(CertificateSchema, written)).toEqual([]);
  expect(written).toMatchObject({
    verdict: 'certified',
    adapter: { name: 'memory' },
    run: { seed: 20261124, runs: 30 },
  });
});

it('skips exactly the requirements that do not apply to an in-process ephemeral adapter, each with a reason', () => {
  const skipped = report!.requirements.filter((r) => r.status === 'skip');
  for (const r of skipped)
    expect(r.reason, r.id).toMatch(
      /applies to restart-safe-local|applies to derived-projection|cannot sever connections|adapter claims/,
    );
  // Durability, derived projections (memory hosts no authoritative log a projection could be rebuilt
  // from) and connection loss are the only families out of reach of the memory adapter.
  expect(
    skipped
      .filter((r) => /applies to/.test(r.reason ?? ''))
      .map((r) => r.id)
      .sort(),
  ).toEqual([
    'CLM-019',
    'LOG-015',
    'LOG-030',
    'PRJ-001',
    'PRJ-002',
    'PRJ-003',
    'PRJ-004',
    'PRJ-005',
    'PRJ-006',
    'PRJ-007',
    'QUE-036',
    'REC-032',
  ]);
});
