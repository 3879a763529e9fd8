import { describe, expect, it } from 'vitest';
import { PRUNE_BATCH, PRUNE_BATCHES_PER_PASS, PRUNE_PASS_BUDGET_MS } from '@stateproof/core';
import { pruneInBatches } from '../src/runtime/prune-in-batches.js';

/** A backlog of `rows` that each call takes `msPerCall` of a fake clock to prune from. */
function backlog(rows: number, msPerCall: number) {
  let left = rows;
  let t = 0;
  const limits: number[] = [];
  return {
    prune: async (limit: number) => {
      limits.push(limit);
      t += msPerCall;
      const n = Math.min(limit, left);
      left -= n;
      return n;
    },
    now: () => t,
    limits,
    left: () => left,
  };
}

describe('pruning in batches', () => {
  it('stops at the first call that comes back short: nothing else is due', async () => {
    const b = backlog(2 * PRUNE_BATCH + 7, 1);
    expect(await pruneInBatches(b.prune, b.now)).toBe(2 * PRUNE_BATCH + 7);
    expect(b.limits).toEqual([PRUNE_BATCH, PRUNE_BATCH, PRUNE_BATCH]);
  });

  it('keeps pace with a busy queue: more than a fixed handful of batches while calls are cheap', async () => {
    const b = backlog(40 * PRUNE_BATCH, 5);
    expect(await pruneInBatches(b.prune, b.now)).toBe(40 * PRUNE_BATCH);
    expect(b.left()).toBe(0);
  });

  it('leaves the rest of a long backlog to the next passes once its time budget is spent', async () => {
    const msPerCall = 20;
    const b = backlog(1_000 * PRUNE_BATCH, msPerCall);
    const pruned = await pruneInBatches(b.prune, b.now);
    expect(b.limits.length).toBe(Math.ceil(PRUNE_PASS_BUDGET_MS / msPerCall));
    expect(pruned).toBe(b.limits.length * PRUNE_BATCH);
    expect(b.left()).toBeGreaterThan(0);
  });

  it('makes at most a bounded number of calls per pass, however fast they are', async () => {
    const b = backlog(10 * PRUNE_BATCHES_PER_PASS * PRUNE_BATCH, 0);
    expect(await pruneInBatches(b.prune, b.now)).toBe(PRUNE_BATCHES_PER_PASS * PRUNE_BATCH);
  });
});
