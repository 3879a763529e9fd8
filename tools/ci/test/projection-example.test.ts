import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../../..');

// The example runs as a user runs it, against the built packages (npm run build first), as the
// crash harness's workers do: it forks a process and kills it, which source-mode tests cannot.
describe('examples/projection/run.mjs', () => {
  it('kills a projecting worker mid-batch, and after the restart every check of the example holds', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['examples/projection/run.mjs'], {
      cwd: repo,
      timeout: 120_000,
    });
    expect(stdout).not.toContain('FAIL');
    expect(stdout).toMatch(/killed with SIGKILL after \d+ acknowledged appends, while projecting orders \d+\.\.\d+/);
    // The restart had work left: the projection lagged the log when the worker died.
    const lag = /cursor (\d+), log head (\d+), lag (\d+)/.exec(stdout);
    expect(lag).not.toBeNull();
    const [cursor, head] = [Number(lag![1]), Number(lag![2])];
    expect(cursor).toBeGreaterThan(0);
    expect(head).toBeGreaterThan(cursor);
    expect(stdout).toContain(`ok   the totals equal the fold of orders 1..${cursor}: none applied twice, none skipped`);
    expect(stdout).toContain(`ok   catchUp applied the ${head - cursor} orders after the cursor`);
    expect(stdout).toContain('ok   rebuild replayed');
    expect(stdout).toContain('ok   the oldest 150 were dropped and counted; the newest 100 arrived in emit order');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('all checks passed');
  }, 150_000);
});
