import { expect, it } from 'vitest';
import { MEMORY_MUTANTS, memoryTarget } from '@stateproof/adapter-memory/conformance';
import { ALL_PROPERTIES, runConformance } from '@stateproof/conformance';

// dataspace/concurrency: sessions on separate instances assert, retract and read shared ids at once,
// checked for linearizability against the ownership model. The race mutant behaves like the memory
// adapter one call at a time, so only this property catches it.
const CONCURRENCY = ALL_PROPERTIES.filter((p) => p.name === 'dataspace/concurrency');
const sequential = ALL_PROPERTIES.filter((p) => p.kind === 'dataspace' && !p.concurrency);
const mutant = MEMORY_MUTANTS.find((m) => m.name === 'dataspace-assert-race-two-owners')!;
const SEED = 20261203;

it('registers dataspace/concurrency as a concurrency property, and the race mutant', () => {
  expect(CONCURRENCY.map((p) => [p.kind, p.concurrency])).toEqual([['dataspace', true]]);
  expect(mutant).toMatchObject({ kind: 'dataspace', breaks: ['DSP-005'] });
});

it('the memory adapter passes dataspace/concurrency (no false alarm)', async () => {
  const report = await runConformance({ target: memoryTarget(), properties: CONCURRENCY, runs: 100, seed: SEED });
  expect(report.verdict).not.toBe('fail');
  expect(report.certificate.concurrency.map((c) => [c.name, c.status, c.linearizable])).toEqual([
    ['dataspace/concurrency [ephemeral]', 'pass', true],
  ]);
  expect(report.certificate.concurrency[0]!.operations).toBeGreaterThan(500);
});

it('the check-then-assert race passes every sequential dataspace property', async () => {
  const report = await runConformance({ target: mutant.target(), properties: sequential, runs: 20, seed: SEED });
  expect(report.outcomes.filter((o) => o.status === 'fail').map((o) => `${o.name}: ${o.reason}`)).toEqual([]);
  expect(report.outcomes.filter((o) => o.status === 'pass').length).toBeGreaterThan(5);
});

it('the check-then-assert race fails dataspace/concurrency naming DSP-005, with the history', async () => {
  const report = await runConformance({ target: mutant.target(), properties: CONCURRENCY, runs: 30, seed: SEED });
  expect(report.verdict).toBe('fail');
  expect(report.requirements.filter((r) => r.status === 'fail').map((r) => r.id)).toContain('DSP-005');
  const [check] = report.certificate.concurrency;
  expect(check).toMatchObject({ kind: 'dataspace', status: 'fail', linearizable: false });
  expect(check!.reason).toContain('longest linearizable prefix');
  expect(check!.reason).toMatch(/asserted "[xy]", but it is asserted by session/);
});
