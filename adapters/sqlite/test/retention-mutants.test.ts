import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_MUTANTS, sqliteTarget } from '@stateproof/adapter-sqlite/conformance';
import { ALL_PROPERTIES, runConformance } from '@stateproof/conformance';

// A prune statement that counts the retention window from the enqueue: queue/retention lets a task
// run for part of its window before it finishes, so such a task goes too early (QUE-037).
const RETENTION = ALL_PROPERTIES.filter((p) => p.name === 'queue/retention' || p.name === 'dataspace/retention');
const mutant = SQLITE_MUTANTS.find((m) => m.name === 'sqlite-prune-from-enqueue');
const SEED = 20261203;

describe('retention of the SQLite adapter', () => {
  const target = sqliteTarget();
  afterAll(() => target.cleanup());

  it('the adapter passes queue/retention and dataspace/retention', async () => {
    const report = await runConformance({
      target,
      kinds: ['queue', 'dataspace'],
      properties: RETENTION,
      runs: 20,
      seed: SEED,
    });
    expect(report.outcomes.map((o) => `${o.name}:${o.status}`)).not.toContainEqual(expect.stringMatching(/:fail$/));
    expect(report.outcomes.filter((o) => o.status === 'pass').length).toBeGreaterThanOrEqual(2);
  });

  it('sqlite-prune-from-enqueue fails queue/retention, naming QUE-037', async () => {
    expect(mutant?.properties).toEqual(['queue/retention']);
    const report = await runConformance({
      target: mutant!.target(),
      kinds: ['queue'],
      properties: RETENTION,
      runs: 20,
      seed: SEED,
      shrinkTimeMs: 2_000,
    });
    expect(report.verdict).toBe('fail');
    expect(report.outcomes.some((o) => o.status === 'fail' && o.failedRequirements?.includes('QUE-037'))).toBe(true);
  });
});
