import { afterAll, expect, it } from 'vitest';
import { ALL_PROPERTIES, runConformance } from '@stateproof/conformance';
import { SQLITE_MUTANTS, sqliteTarget } from '@stateproof/adapter-sqlite/conformance';

// A record live at exactly its expiry instant: record/expiry-boundary probes that instant itself.
const mutant = SQLITE_MUTANTS.find((m) => m.name === 'sqlite-record-live-at-expiry-instant');
const boundary = ALL_PROPERTIES.filter((p) => p.name === 'record/expiry-boundary');
const SEED = 20261203;
const target = sqliteTarget();
afterAll(() => target.cleanup());

it('fails record/expiry-boundary, naming REC-018 or REC-007 at exactly expiresAt', async () => {
  expect(mutant?.kind).toBe('record');
  const report = await runConformance({
    target: mutant!.target(),
    kinds: ['record'],
    properties: boundary,
    runs: 20,
    seed: SEED,
    shrinkTimeMs: 3_000,
  });
  expect(report.verdict).toBe('fail');
  const failed = report.outcomes.filter((o) => o.status === 'fail');
  expect(failed.length).toBeGreaterThan(0);
  for (const o of failed) {
    expect(o.failedRequirements?.some((id) => mutant!.breaks.includes(id))).toBe(true);
    expect(o.reason).toMatch(/at exactly expiresAt/);
  }
});

it('the sqlite adapter passes record/expiry-boundary', async () => {
  // The classes whose surfaces the kind's properties write (a derived projection has properties of its own).
  const report = await runConformance({
    target,
    kinds: ['record'],
    classes: ['ephemeral', 'restart-safe-local'],
    properties: boundary,
    runs: 20,
    seed: SEED,
  });
  expect(report.outcomes.map((o) => [o.name, o.status])).toEqual([
    ['record/expiry-boundary', 'pass'],
    ['record/expiry-boundary', 'pass'],
  ]);
});
