import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_MUTANTS, sqliteTarget } from '@stateproof/adapter-sqlite/conformance';
import { ALL_PROPERTIES, runConformance } from '@stateproof/conformance';

// The claim statement of a surface without concurrency limits, ordered wrongly: queue/model runs a
// limited surface only, so queue/claim-order is what must catch these.
const ORDER = ALL_PROPERTIES.filter((p) => p.name === 'queue/claim-order');
const mutants = SQLITE_MUTANTS.filter((m) => m.name.startsWith('sqlite-claim-order-'));
const SEED = 20261203;

it('registers the three claim-order mutants', () => {
  expect(mutants.map((m) => m.name)).toHaveLength(3);
  expect(ORDER).toHaveLength(1);
});

describe.each(mutants)('$name', (mutant) => {
  it('fails queue/claim-order, naming QUE-005', async () => {
    const report = await runConformance({
      target: mutant.target(),
      kinds: ['queue'],
      properties: ORDER,
      runs: 20,
      seed: SEED,
      shrinkTimeMs: 2_000,
    });
    expect(report.verdict).toBe('fail');
    expect(report.outcomes.some((o) => o.status === 'fail' && o.failedRequirements?.includes('QUE-005'))).toBe(true);
  });
});

describe('the SQLite adapter', () => {
  const target = sqliteTarget();
  afterAll(() => target.cleanup());
  it('passes queue/claim-order', async () => {
    const report = await runConformance({ target, kinds: ['queue'], properties: ORDER, runs: 40, seed: SEED });
    expect(report.outcomes.map((o) => o.status)).toEqual(['pass', 'pass']);
  });
});

describe('the SQLite adapter, maximum runtime', () => {
  const target = sqliteTarget();
  afterAll(() => target.cleanup());
  it('passes queue/max-runtime (leases capped at start + maxRuntimeMs, exactly)', async () => {
    const properties = ALL_PROPERTIES.filter((p) => p.name === 'queue/max-runtime');
    const report = await runConformance({ target, kinds: ['queue'], properties, runs: 20, seed: SEED });
    expect(report.outcomes.map((o) => o.status)).toEqual(['pass', 'pass']);
  });
});
