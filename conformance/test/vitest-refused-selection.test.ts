import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CONFIG = 'conformance/test/fixtures/refused-selection/vitest.config.ts';

interface JsonReport {
  numFailedTests: number;
  numPassedTests: number;
  numPendingTests: number;
  testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

// describeConformance with a typo in `property`: the run must fail (never a silent pass of skips),
// with one failure that names the code, the did-you-mean and the valid names, and nothing else run.
it('describeConformance refuses a selection that names nothing, in one failing test', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sp-refused-'));
  try {
    const out = join(dir, 'report.json');
    const run = await promisify(execFile)(
      process.execPath,
      [
        join(ROOT, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--config',
        CONFIG,
        '--reporter=json',
        `--outputFile=${out}`,
      ],
      { cwd: ROOT, env: { ...process.env, CI: 'false' } },
    ).then(
      () => ({ code: 0 }),
      (e: { code?: number }) => ({ code: e.code ?? -1 }),
    );
    expect(run.code).toBe(1);
    const report = JSON.parse(await readFile(out, 'utf8')) as JsonReport;
    const tests = report.testResults.flatMap((f) => f.assertionResults);
    const failed = tests.filter((t) => t.status === 'failed');
    expect(failed.map((t) => t.title)).toEqual(['the selection names something to check']);
    const message = failed[0]!.failureMessages.join('\n');
    expect(message).toContain('STATEPROOF_NOTHING_SELECTED: unknown property "claim/modle"');
    expect(message).toContain('Did you mean claim/model?');
    expect(report.numPassedTests).toBe(0);
    expect(report.numPendingTests).toBe(tests.length - 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);
