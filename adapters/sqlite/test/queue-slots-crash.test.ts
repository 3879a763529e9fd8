import { afterAll, expect, it } from 'vitest';
import { CRASH_QUEUE_CONCURRENCY, runCrash } from '@stateproof/conformance';
import { SQLITE_MUTANTS, sqliteTarget } from '@stateproof/adapter-sqlite/conformance';

// QUE-036 judged by the drain: a queue whose concurrency is a slot counter that a kill leaves taken
// ends with tasks no participant can ever claim. The drain reports them as one liveness violation,
// with their rows and the limit (the crash queue's concurrency.global), and the real adapter, whose
// claim counts the running rows, drains everything the same kills left.
const mutant = SQLITE_MUTANTS.find((m) => m.name === 'sqlite-queue-slots-leak-on-kill')!;
const OPTIONS = { kinds: ['queue'] as const, workers: 3, kills: mutant.crash!.kills!, seed: 2026 };
const real = sqliteTarget();
afterAll(() => real.cleanup());

it('a slot counter that a kill leaves taken is reported by the drain as stuck tasks, naming the limit', async () => {
  expect(mutant).toMatchObject({ kind: 'queue', suite: false, crash: { kinds: ['queue'] }, breaks: ['QUE-036'] });
  const report = await runCrash({ ...OPTIONS, target: mutant.target() });
  expect(report.errors).toEqual([]);
  const [result] = report.results;
  expect(result?.status).toBe('fail');
  // One liveness violation, not one per task.
  const liveness = result!.violations.filter((v) => v.startsWith('queue: liveness:'));
  expect(liveness).toHaveLength(1);
  expect(result!.violations.filter((v) => / ended (queued|running), not succeeded/.test(v))).toEqual([]);
  expect(liveness[0]).toMatch(
    /^queue: liveness: \d+ tasks queued and 0 running, and no task was claimed or completed for \d+\.\d s .*; \d+ acknowledged tasks are stuck, by what blocks them:\n/,
  );
  expect(liveness[0]).toContain(
    `queued and due, under every limit by the rows (concurrency.global ${CRASH_QUEUE_CONCURRENCY}, 0 running): yet no claim takes it:`,
  );
  expect(liveness[0]).toMatch(
    /\n {4}t\w+ queued in queue "default", due -\d+ ms, lease none, attempts \d+\/50, last attempt /,
  );
}, 240_000);

it('the real SQLite adapter drains everything the same kills left', async () => {
  const report = await runCrash({ ...OPTIONS, target: real });
  expect(report.errors).toEqual([]);
  expect(report.results.map((r) => [r.scenario, r.status, r.violations])).toEqual([['process-kill/queue', 'pass', []]]);
}, 240_000);
