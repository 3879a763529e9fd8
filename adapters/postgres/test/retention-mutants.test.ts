import { describe, expect, it } from 'vitest';
import { POSTGRES_MUTANTS, postgresTarget } from '@stateproof/adapter-postgres/conformance';
import { ALL_PROPERTIES, runConformance } from '@stateproof/conformance';
import { PG_AVAILABLE, PG_URL } from './pg-test-server.js';

// A prune statement that counts the retention window from the enqueue: queue/retention (on the
// injected clock) lets a task run for part of its window before it finishes, so such a task goes too
// early (QUE-037). On the server clock the property finishes tasks at once and cannot tell.
const RETENTION = ALL_PROPERTIES.filter((p) => p.name === 'queue/retention' || p.name === 'dataspace/retention');
const mutant = POSTGRES_MUTANTS.find((m) => m.name === 'postgres-prune-from-enqueue');
const SEED = 20261203;

describe.skipIf(!PG_AVAILABLE)('retention on the shared server', () => {
  it('the Postgres adapter on the injected clock passes queue/retention and dataspace/retention', async () => {
    const report = await runConformance({
      target: postgresTarget({ url: PG_URL, injectClock: true }),
      kinds: ['queue', 'dataspace'],
      classes: ['shared-durable'],
      properties: RETENTION,
      runs: 10,
      seed: SEED,
    });
    expect(report.outcomes.map((o) => `${o.name}:${o.status}`)).toEqual([
      'queue/retention:pass',
      'dataspace/retention:pass',
    ]);
  });

  it('postgres-prune-from-enqueue fails queue/retention, naming QUE-037', async () => {
    expect(mutant?.unavailable?.()).toBeUndefined();
    const report = await runConformance({
      target: mutant!.target(),
      kinds: ['queue'],
      classes: ['shared-durable'],
      properties: RETENTION,
      // The property catches it when the task ran and was looked at for a window in all (about half the runs).
      runs: 30,
      seed: SEED,
      shrinkTimeMs: 2_000,
    });
    expect(report.verdict).toBe('fail');
    expect(report.outcomes.some((o) => o.status === 'fail' && o.failedRequirements?.includes('QUE-037'))).toBe(true);
  });
});
