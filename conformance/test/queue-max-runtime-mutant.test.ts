import { expect, it } from 'vitest';
import { MEMORY_MUTANTS, memoryTarget } from '@stateproof/adapter-memory/conformance';
import { ALL_PROPERTIES, runConformance } from '@stateproof/conformance';

// A heartbeat that ignores the cap at start + maxRuntimeMs only shows on an attempt heartbeated up
// to that instant: queue/max-runtime does it on the exact clock, step by step.
const PROPERTY = ALL_PROPERTIES.filter((p) => p.name === 'queue/max-runtime');
const SEED = 20261203;

it('queue/max-runtime catches a heartbeat that extends the lease past the maximum runtime, naming QUE-011', async () => {
  const mutant = MEMORY_MUTANTS.find((m) => m.name === 'queue-heartbeat-past-max-runtime');
  expect(mutant?.breaks).toEqual(['QUE-011']);
  const report = await runConformance({
    target: mutant!.target(),
    kinds: ['queue'],
    properties: PROPERTY,
    runs: 20,
    seed: SEED,
    shrinkTimeMs: 2_000,
  });
  expect(report.verdict).toBe('fail');
  const [outcome] = report.outcomes;
  expect(outcome?.failedRequirements).toContain('QUE-011');
  expect(outcome?.reason).toMatch(/capped at/);
});

it('the memory adapter passes queue/max-runtime', async () => {
  const report = await runConformance({
    target: memoryTarget(),
    kinds: ['queue'],
    properties: PROPERTY,
    runs: 50,
    seed: SEED,
  });
  expect(report.outcomes.map((o) => [o.name, o.status])).toEqual([['queue/max-runtime', 'pass']]);
});
