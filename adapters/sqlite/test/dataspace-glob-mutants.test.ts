import { afterAll, expect, it } from 'vitest';
import { ALL_PROPERTIES, runConformance } from '@stateproof/conformance';
import { SQLITE_MUTANTS, sqliteTarget } from '@stateproof/adapter-sqlite/conformance';

// dataspace/filters draws ids and patterns with \, %, _, *, ?, [ and multi-byte characters: the
// SQLite store narrows a glob by its literal prefix's key range, and a prefix that keeps the escape
// character loses matching ids; the real store lists exactly the reference glob's matches.
const FILTERS = ALL_PROPERTIES.filter((p) => p.name === 'dataspace/filters');
const SEED = 20261203;
const real = sqliteTarget();
afterAll(() => real.cleanup());

it('the real SQLite adapter passes dataspace/filters', async () => {
  expect(FILTERS).toHaveLength(1);
  const report = await runConformance({ target: real, properties: FILTERS, runs: 200, seed: SEED });
  expect(report.outcomes.length).toBeGreaterThan(0);
  for (const o of report.outcomes)
    expect([o.name, o.status, o.reason]).toEqual(['dataspace/filters', 'pass', undefined]);
});

it('the backslash-blind glob prefix fails dataspace/filters against DSP-013, listing too few ids', async () => {
  const mutant = SQLITE_MUTANTS.find((m) => m.name === 'sqlite-glob-prefix-keeps-backslash');
  expect(mutant?.properties).toEqual(['dataspace/filters']);
  const report = await runConformance({ target: mutant!.target(), properties: FILTERS, runs: 200, seed: SEED });
  const [outcome] = report.outcomes;
  expect(outcome?.status).toBe('fail');
  expect(outcome?.failedRequirements).toEqual(['DSP-013']);
  expect(outcome?.reason).toMatch(/glob ".*\\\\.*" over .* listed .*, expected/);
});
