import { describe, expect, it } from 'vitest';
import { POSTGRES_MUTANTS, postgresTarget } from '@stateproof/adapter-postgres/conformance';
import { ALL_PROPERTIES, runConformance } from '@stateproof/conformance';
import { PG_AVAILABLE, PG_URL } from './pg-test-server.js';

// The claim statement of a surface without concurrency limits, ordered wrongly: queue/model runs a
// limited surface only, so queue/claim-order (on the injected clock) is what must catch these.
const ORDER = ALL_PROPERTIES.filter((p) => p.name === 'queue/claim-order');
const mutants = POSTGRES_MUTANTS.filter((m) => m.name.startsWith('postgres-claim-order-'));
const SEED = 20261203;

describe.skipIf(!PG_AVAILABLE)('claim order on the shared server', () => {
  it('registers the three claim-order mutants, available with the server up', () => {
    expect(mutants.map((m) => m.name)).toHaveLength(3);
    for (const m of mutants) expect(m.unavailable?.()).toBeUndefined();
  });

  it.each(mutants)('$name fails queue/claim-order, naming QUE-005', async (mutant) => {
    const report = await runConformance({
      target: mutant.target(),
      kinds: ['queue'],
      classes: ['shared-durable'],
      properties: ORDER,
      runs: 10,
      seed: SEED,
      shrinkTimeMs: 2_000,
    });
    expect(report.verdict).toBe('fail');
    expect(report.outcomes.some((o) => o.status === 'fail' && o.failedRequirements?.includes('QUE-005'))).toBe(true);
  });

  it('the Postgres adapter passes queue/claim-order', async () => {
    const report = await runConformance({
      target: postgresTarget({ url: PG_URL }),
      kinds: ['queue'],
      classes: ['shared-durable'],
      properties: ORDER,
      runs: 20,
      seed: SEED,
    });
    expect(report.outcomes.map((o) => o.status)).toEqual(['pass']);
  });

  it('the Postgres adapter passes queue/max-runtime (on the injected clock)', async () => {
    const report = await runConformance({
      target: postgresTarget({ url: PG_URL }),
      kinds: ['queue'],
      classes: ['shared-durable'],
      properties: ALL_PROPERTIES.filter((p) => p.name === 'queue/max-runtime'),
      runs: 10,
      seed: SEED,
    });
    expect(report.outcomes.map((o) => o.status)).toEqual(['pass']);
  });

  it.each(POSTGRES_MUTANTS.filter((m) => /^postgres-(global|queue)-limit-/.test(m.name)))(
    '$name fails queue/model, naming QUE-007',
    async (mutant) => {
      const report = await runConformance({
        target: mutant.target(),
        kinds: ['queue'],
        classes: ['shared-durable'],
        properties: ALL_PROPERTIES.filter((p) => p.name === 'queue/model'),
        runs: 15,
        seed: SEED,
        shrinkTimeMs: 2_000,
      });
      expect(report.verdict).toBe('fail');
      expect(report.outcomes.some((o) => o.status === 'fail' && o.failedRequirements?.includes('QUE-007'))).toBe(true);
    },
  );
});
