/**
 * A batch of log entries as the crash workers append it: entry `j` of append `n` by incarnation `i`
 * of worker `w` is `{ w, i, n, j }`, unique in the run. A worker reports the batch by these numbers
 * rather than by its values, so that a history of millions of entries stays small; the checks
 * rebuild the values from them.
 */
export interface AppendBatch {
  /** The worker. */
  readonly w: number;
  /** Its incarnation. */
  readonly i: number;
  /** The append's number in that incarnation. */
  readonly n: number;
  /** How many entries. */
  readonly size: number;
}

/** The values of `batch`, in order. */
export function batchValues(batch: AppendBatch): Array<{ w: number; i: number; n: number; j: number }> {
  return Array.from({ length: batch.size }, (_, j) => ({ w: batch.w, i: batch.i, n: batch.n, j }));
}

/** The values an append reported: its array of values, or the values of its {@link AppendBatch}. */
export function appendedValues(args: unknown): unknown[] {
  return Array.isArray(args) ? args : batchValues(args as AppendBatch);
}

/** How many entries an append reported (for aiming a kill into a large batch). */
export function appendSize(args: unknown): number {
  if (Array.isArray(args)) return args.length;
  const size = (args as Partial<AppendBatch> | null)?.size;
  return typeof size === 'number' ? size : 0;
}
