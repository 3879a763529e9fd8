import { PRUNE_BATCH, PRUNE_BATCHES_PER_PASS } from '../surface/defaults.js';

/**
 * Calls `prune` with {@link PRUNE_BATCH} until a call removes fewer (nothing else is due) or
 * {@link PRUNE_BATCHES_PER_PASS} calls were made, and returns how many rows went. Small batches keep
 * each statement's locks short beside the hot path; the cap keeps one pass bounded when a long
 * backlog is due (the rest goes in the next passes).
 */
export async function pruneInBatches(prune: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (let i = 0; i < PRUNE_BATCHES_PER_PASS; i++) {
    const n = await prune(PRUNE_BATCH);
    total += n;
    if (n < PRUNE_BATCH) break;
  }
  return total;
}
