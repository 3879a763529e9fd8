import { afterAll, expect, it } from 'vitest';
import { runCrash } from '@stateproof/conformance';
import { SQLITE_MUTANTS, sqliteTarget } from '@stateproof/adapter-sqlite/conformance';

// DSP-024 in the crash harness: each incarnation also holds ids no restarted worker asserts again,
// so only another process's reaper frees them once it is killed. The check runs before the
// harness's own reap, so a reaper that reaps only its own process's sessions is caught.
const SEED = 20261203;
const OPTIONS = { kinds: ['dataspace'] as const, workers: 3, kills: 3, seed: SEED };
const real = sqliteTarget();
afterAll(() => real.cleanup());

it('the real SQLite adapter passes the dataspace crash check: the survivors reap the dead', async () => {
  const report = await runCrash({ ...OPTIONS, target: real });
  expect(report.errors).toEqual([]);
  expect(report.results.map((r) => [r.scenario, r.status, r.violations])).toEqual([
    ['process-kill/dataspace', 'pass', []],
  ]);
  // The check had work to do: killed incarnations' solo ids were asserted, and retracted as expired.
  const solo = report.history.of('dataspace').filter((o) => o.op === 'assert' && /:s\d+$/.test(o.key));
  expect(solo.filter((o) => o.state === 'acked').length).toBeGreaterThanOrEqual(2 * 4);
}, 120_000);

it('a reaper that reaps only its own sessions fails the crash check naming DSP-024', async () => {
  const mutant = SQLITE_MUTANTS.find((m) => m.name === 'sqlite-reaps-own-sessions-only');
  expect(mutant).toMatchObject({ suite: false, crash: { kinds: ['dataspace'] }, breaks: ['DSP-024'] });
  const report = await runCrash({ ...OPTIONS, target: mutant!.target() });
  expect(report.errors).toEqual([]);
  const [result] = report.results;
  expect(result?.status).toBe('fail');
  expect(result?.violations.join('\n')).toMatch(
    /DSP-024: \d+ assertions of killed workers were never retracted by another process's reaper, though one reaped after their lease ended/,
  );
}, 120_000);
