import { describe, expect, it } from 'vitest';
import { ALL_PROPERTIES, runConformance } from '@stateproof/conformance';
import { POSTGRES_MUTANTS, postgresTarget } from '@stateproof/adapter-postgres/conformance';
import { PG_AVAILABLE, PG_URL } from './pg-test-server.js';

// A lease is judged when the write takes effect (issue 12, defect 6): the write delay sleeps inside
// the write's transaction after the row lock, on the server's clock, or moves the injected clock.
const AT_WRITE = ALL_PROPERTIES.filter((p) => p.name === 'claim/lease-at-write' || p.name === 'queue/lease-at-write');
const SEED = 20261203;

describe.skipIf(!PG_AVAILABLE)('postgres: lease judged at write', () => {
  it('passes both lease-at-write properties on the server clock', async () => {
    const report = await runConformance({
      target: postgresTarget({ url: PG_URL }),
      properties: AT_WRITE,
      runs: 20,
      seed: SEED,
    });
    expect(report.outcomes.map((o) => [o.name, o.status, o.clock, o.reason])).toEqual(
      AT_WRITE.map((p) => [p.name, 'pass', undefined, undefined]),
    );
  }, 120_000);

  it('passes both on an injected clock moved inside the transaction', async () => {
    const report = await runConformance({
      target: postgresTarget({ url: PG_URL, injectClock: true }),
      properties: AT_WRITE,
      runs: 20,
      seed: SEED,
    });
    expect(report.outcomes.map((o) => [o.name, o.status, o.reason])).toEqual(
      AT_WRITE.map((p) => [p.name, 'pass', undefined]),
    );
  }, 120_000);

  it.each([
    ['postgres-claim-lease-judged-at-transaction-start', 'claim/lease-at-write', 'CLM-007'],
    ['postgres-queue-lease-judged-at-transaction-start', 'queue/lease-at-write', 'QUE-010'],
  ])(
    'the mutant %s (judging by now(), the transaction start) fails %s against %s',
    async (name, property, id) => {
      const mutant = POSTGRES_MUTANTS.find((m) => m.name === name);
      expect(mutant?.properties).toEqual([property]);
      const report = await runConformance({
        target: mutant!.target(),
        properties: AT_WRITE.filter((p) => p.name === property),
        runs: 20,
        seed: SEED,
        shrinkTimeMs: 2_000,
      });
      const [outcome] = report.outcomes;
      expect(outcome?.status).toBe('fail');
      expect(outcome?.failedRequirements).toEqual([id]);
      expect(outcome?.reason).toMatch(/judged it after the lease expired .* gave ok/);
    },
    120_000,
  );
});
