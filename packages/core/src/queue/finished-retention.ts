/**
 * The retention rule of finished tasks (QUE-037, QUE-038), once for every adapter: a task that
 * finished (succeeded, failed or was canceled) at `finishedAt` is kept until `finishedAt +
 * finishedMs` and may be pruned from then on. Adapters prune the tasks that finished at or before
 * this cutoff.
 */
export function finishedRetentionCutoff(now: number, finishedMs: number): number {
  return now - finishedMs;
}

/** Whether a task that finished at `finishedAt` may be pruned at `now` under a retention of `finishedMs`. */
export function finishedTaskPrunable(finishedAt: number, now: number, finishedMs: number): boolean {
  return finishedAt <= finishedRetentionCutoff(now, finishedMs);
}
