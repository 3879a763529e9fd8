import { PRUNE_BATCH, PRUNE_BATCHES_PER_PASS, PRUNE_PASS_BUDGET_MS } from '../surface/defaults.js';

/**
 * Calls `prune` with {@link PRUNE_BATCH} until a call removes fewer (nothing else is due), the pass
 * has spent {@link PRUNE_PASS_BUDGET_MS} on this surface, or {@link PRUNE_BATCHES_PER_PASS} calls
 * were made, and returns how many rows went. Small batches keep each statement's locks short beside
 * the hot path; the budget lets a busy queue's pruning keep pace with its completions (a fixed
 * number of batches per pass capped it at a rate a fast queue outran: found by the soak benchmark)
 * while keeping one pass bounded when a long backlog is due (the rest goes in the next passes).
 */
export async function pruneInBatches(
  prune: (limit: number) => Promise<number>,
  now: () => number = () => performance.now(),
): Promise<number> {
  const started = now();
  let total = 0;
  for (let i = 0; i < PRUNE_BATCHES_PER_PASS; i++) {
    const n = await prune(PRUNE_BATCH);
    total += n;
    if (n < PRUNE_BATCH || now() - started >= PRUNE_PASS_BUDGET_MS) break;
  }
  return total;
}
