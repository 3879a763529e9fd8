import { expect, it } from 'vitest';
import { ALL_PROPERTIES, runConformance } from '@stateproof/conformance';
import { POSTGRES_MUTANTS, postgresTarget } from '@stateproof/adapter-postgres/conformance';
import { PG_AVAILABLE, PG_URL } from './pg-test-server.js';

// A record live at exactly its expiry instant differs from the contract by one millisecond: only an
// exact-time property sees it, and on Postgres that needs the suite's clock injected into the SQL.
const NAME = 'postgres-record-live-at-expiry-instant';
const mutant = POSTGRES_MUTANTS.find((m) => m.name === NAME);
const boundary = ALL_PROPERTIES.filter((p) => p.name === 'record/expiry-boundary');
const SEED = 20261203;

it('registers the mutant and the property it is caught by', () => {
  expect(mutant?.kind).toBe('record');
  expect(boundary).toHaveLength(1);
  expect(boundary[0]?.exactTime).toBe(true);
});

it.skipIf(!PG_AVAILABLE)('is available while the shared server answers, and says so when it does not', () => {
  expect(mutant?.unavailable?.()).toBeUndefined();
  const saved = process.env['STATEPROOF_PG_URL'];
  // A port nothing listens on, through the variable the mutant's target reads.
  process.env['STATEPROOF_PG_URL'] = PG_URL.replace(/:\d+\//, ':1/');
  try {
    expect(mutant?.unavailable?.()).toMatch(/shared Postgres server at \S+:1\/\S* is unreachable \(.+\)/);
  } finally {
    if (saved === undefined) delete process.env['STATEPROOF_PG_URL'];
    else process.env['STATEPROOF_PG_URL'] = saved;
  }
});

it.skipIf(!PG_AVAILABLE)(
  'survives record/model on the server clock (the hole the new property closes)',
  async () => {
    const report = await runConformance({
      target: mutant!.target(),
      kinds: ['record'],
      classes: ['shared-durable'],
      properties: ALL_PROPERTIES.filter((p) => p.name === 'record/model'),
      runs: 10,
      seed: SEED,
    });
    expect(report.outcomes.map((o) => [o.name, o.status, o.clock])).toEqual([['record/model', 'pass', undefined]]);
  },
  120_000,
);

it.skipIf(!PG_AVAILABLE)(
  'fails record/expiry-boundary on the injected clock, naming REC-018 or REC-007',
  async () => {
    const report = await runConformance({
      target: mutant!.target(),
      kinds: ['record'],
      properties: boundary,
      runs: 20,
      seed: SEED,
      shrinkTimeMs: 3_000,
    });
    expect(report.verdict).toBe('fail');
    const [outcome] = report.outcomes;
    expect(outcome?.clock).toBe('injected');
    expect(outcome?.failedRequirements?.some((id) => mutant!.breaks.includes(id))).toBe(true);
    expect(outcome?.reason).toMatch(/at exactly expiresAt/);
  },
  120_000,
);

it.skipIf(!PG_AVAILABLE)(
  'the postgres adapter passes record/expiry-boundary on the injected clock',
  async () => {
    const report = await runConformance({
      target: postgresTarget({ url: PG_URL }),
      kinds: ['record'],
      classes: ['shared-durable'],
      properties: boundary,
      runs: 20,
      seed: SEED,
    });
    expect(report.outcomes.map((o) => [o.name, o.status, o.clock])).toEqual([
      ['record/expiry-boundary', 'pass', 'injected'],
    ]);
  },
  120_000,
);
