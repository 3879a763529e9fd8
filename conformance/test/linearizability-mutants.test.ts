import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MEMORY_MUTANTS as ALL_MUTANTS, memoryTarget } from '@stateproof/adapter-memory/conformance';
import { ALL_PROPERTIES, runConformance, runMutants } from '@stateproof/conformance';

// The race mutants behave exactly like the memory adapter one call at a time, so only parallel
// clients checked for linearizability can catch them: this is what the checker is for.
const RACES = [
  'record-cas-race-lost-update',
  'log-sequence-read-then-append-race',
  'log-batch-not-contiguous',
  'claim-acquire-race-two-holders',
  'queue-claim-race-double-delivery',
];
const mutants = ALL_MUTANTS.filter((m) => RACES.includes(m.name));
const sequential = ALL_PROPERTIES.filter((p) => !p.concurrency);
const concurrent = ALL_PROPERTIES.filter((p) => p.concurrency);
const SEED = 20260611;

it('registers the race mutants and one concurrency property for each of their kinds', () => {
  expect(mutants.map((m) => m.name).sort()).toEqual([...RACES].sort());
  for (const m of mutants)
    expect(concurrent.filter((p) => p.kind === m.kind).map((p) => p.name)).toEqual([`${m.kind}/concurrency`]);
});

describe.each(mutants)('$name', (mutant) => {
  it('passes every sequential property of its kind', async () => {
    const report = await runConformance({
      target: mutant.target(),
      kinds: [mutant.kind],
      properties: sequential,
      runs: 30,
      seed: SEED,
    });
    expect(report.outcomes.filter((o) => o.status === 'pass').length).toBeGreaterThan(3);
    expect(report.outcomes.filter((o) => o.status === 'fail').map((o) => `${o.name}: ${o.reason}`)).toEqual([]);
    expect(report.verdict).toBe('pass');
  });

  it('fails the concurrency property, naming a requirement it breaks, with a readable history', async () => {
    const report = await runConformance({
      target: mutant.target(),
      kinds: [mutant.kind],
      properties: concurrent,
      runs: 30,
      seed: SEED,
    });
    expect(report.verdict).toBe('fail');
    const failed = report.requirements.filter((r) => r.status === 'fail').map((r) => r.id);
    expect(failed.some((id) => mutant.breaks.includes(id))).toBe(true);
    const [check] = report.certificate.concurrency;
    expect(check).toMatchObject({ kind: mutant.kind, status: 'fail', linearizable: false });
    expect(check!.clients).toBeGreaterThanOrEqual(2);
    expect(check!.reason).toContain('longest linearizable prefix');
    expect(check!.reason).toContain('history of the partition');
    // ...and links the HTML view of the failing history, which shows the operation that had to come next.
    const view = /HTML view of the history: (\S+\.html)/.exec(check!.reason ?? '')?.[1];
    expect(view).toBeDefined();
    expect(readFileSync(view!, 'utf8')).toContain('class="op unplaced blocked');
    // The counterexample is the shrunk plan of the clients, replayable from the seed and path.
    expect(report.outcomes[0]?.counterexample).toBeDefined();
    expect(report.outcomes[0]?.replay?.path).toBeTruthy();
  });
});

it('runMutants counts every race mutant as caught', async () => {
  const results = await runMutants({ mutants, runs: 30, seed: SEED });
  expect(results.map((r) => [r.mutant.name, r.caught])).toEqual(mutants.map((m) => [m.name, true]));
});

it('the memory adapter passes the concurrency properties (no false alarm)', async () => {
  const report = await runConformance({
    target: memoryTarget(),
    kinds: ['record', 'log', 'claim', 'queue'],
    properties: concurrent,
    runs: 100,
    seed: SEED,
  });
  expect(report.verdict).toBe('pass');
  expect(report.certificate.concurrency.map((c) => [c.name, c.status, c.linearizable])).toEqual([
    ['record/concurrency [ephemeral]', 'pass', true],
    ['log/concurrency [ephemeral]', 'pass', true],
    ['claim/concurrency [ephemeral]', 'pass', true],
    ['queue/concurrency [ephemeral]', 'pass', true],
  ]);
  for (const c of report.certificate.concurrency) expect(c.operations).toBeGreaterThan(500);
});
