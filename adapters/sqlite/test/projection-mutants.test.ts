import { afterAll, expect, it } from 'vitest';
import { ALL_PROPERTIES, runConformance, runMutants } from '@stateproof/conformance';
import { SQLITE_MUTANTS, sqliteTarget } from '@stateproof/adapter-sqlite/conformance';

// The derived-projection mutants of the SQLite kit (memory claims no derived projection): each is
// caught through the properties (or the crash harness) it names, naming the requirement it breaks,
// and the real adapter passes the same properties.
const SEED = 20261207;
const PROJECTION = ALL_PROPERTIES.filter(
  (p) => p.classes?.includes('derived-projection') && /\/projection-/.test(p.name),
);
const real = sqliteTarget();
afterAll(() => real.cleanup());

it('the real SQLite adapter passes the projection properties, for records and logs', async () => {
  const report = await runConformance({
    target: real,
    kinds: ['record', 'log'],
    classes: ['derived-projection'],
    properties: PROJECTION,
    runs: 20,
    seed: SEED,
  });
  const ran = report.outcomes.filter((o) => o.status === 'pass').map((o) => o.name);
  expect(report.outcomes.filter((o) => o.status === 'fail')).toEqual([]);
  expect(new Set(ran)).toEqual(new Set(PROJECTION.map((p) => p.name)));
}, 120_000);

for (const [name, breaks, reason] of [
  ['sqlite-projection-second-writer', 'PRJ-003', /STATEPROOF_PROJECTION_CONFLICT was expected|every entry once/],
  ['sqlite-projection-rebuild-skips', 'PRJ-005', /rebuild \(batch \d+\) of \d+ source entries/],
] as const) {
  it(`${name} is caught by the suite, naming ${breaks}`, async () => {
    const mutant = SQLITE_MUTANTS.find((m) => m.name === name);
    expect(mutant?.breaks).toEqual([breaks]);
    const [result] = await runMutants({ mutants: [mutant!], runs: 20, seed: SEED });
    expect(result?.caught).toBe(true);
    expect(result?.failed).toContain(breaks);
    expect(result?.reason).toMatch(reason);
  }, 120_000);
}

it('sqlite-projection-cursor-apart is caught by the crash harness of derived-projection', async () => {
  const mutant = SQLITE_MUTANTS.find((m) => m.name === 'sqlite-projection-cursor-apart');
  expect(mutant).toMatchObject({ suite: false, crash: { classes: ['derived-projection'] }, breaks: ['PRJ-003'] });
  const [result] = await runMutants({ mutants: [mutant!], seed: SEED });
  expect(result?.caught).toBe(true);
  expect(result?.failed.some((f) => /^crash:process-kill\/(record|log)$/.test(f))).toBe(true);
  expect(result?.reason).toMatch(/projection/);
}, 180_000);
