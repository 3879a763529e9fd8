import { expect, it } from 'vitest';
import { MEMORY_MUTANTS, memoryTarget } from '@stateproof/adapter-memory/conformance';
import { ALL_PROPERTIES, runConformance } from '@stateproof/conformance';

// The shape of the Postgres race of issue 12: an ifAbsent insert that took its version before waiting
// on a live record, which another client updated higher and deleted meanwhile. One call at a time it
// behaves like the memory adapter; record/concurrency, with its pressure on one key and its
// delete-then-recreate steps, must see the older version acknowledged.
const mutant = MEMORY_MUTANTS.find((m) => m.name === 'record-if-absent-version-before-wait');
const concurrency = ALL_PROPERTIES.filter((p) => p.name === 'record/concurrency');
const SEED = 20261203;

it('passes every sequential record property', async () => {
  const report = await runConformance({
    target: mutant!.target(),
    kinds: ['record'],
    properties: ALL_PROPERTIES.filter((p) => p.kind === 'record' && !p.concurrency),
    runs: 30,
    seed: SEED,
  });
  expect(report.outcomes.filter((o) => o.status === 'fail').map((o) => `${o.name}: ${o.reason}`)).toEqual([]);
  expect(report.outcomes.filter((o) => o.status === 'pass').length).toBeGreaterThan(5);
});

it('fails record/concurrency, naming REC-004 or REC-005', async () => {
  const report = await runConformance({
    target: mutant!.target(),
    kinds: ['record'],
    properties: concurrency,
    runs: 30,
    seed: SEED,
    shrinkTimeMs: 3_000,
  });
  expect(report.verdict).toBe('fail');
  const [check] = report.certificate.concurrency;
  expect(check).toMatchObject({ kind: 'record', status: 'fail', linearizable: false });
  const failed = report.requirements.filter((r) => r.status === 'fail').map((r) => r.id);
  expect(failed.some((id) => mutant!.breaks.includes(id))).toBe(true);
});

it('the memory adapter passes record/concurrency with up to six clients on three instances', async () => {
  const report = await runConformance({ target: memoryTarget(), properties: concurrency, runs: 100, seed: SEED });
  expect(report.certificate.concurrency.map((c) => [c.name, c.status, c.linearizable])).toEqual([
    ['record/concurrency [ephemeral]', 'pass', true],
  ]);
  expect(report.certificate.concurrency[0]?.clients).toBe(6);
});
