import type { LogItem, ProjectionView, ProjectionWrite } from '@stateproof/core';

/**
 * The reference fold of the derived-projection checks (the properties of spec/contract/classes.md
 * and the crash harness): a record projection keeps, per key, how many source entries it folded and
 * the sum of their sequences; a log projection appends one entry per source entry, naming its
 * sequence. An entry applied twice or skipped changes both, so the source alone judges the projection.
 */

/** The stream of the source log the checks append to and the projections fold. */
export const SOURCE_STREAM = 'src';

/** The stream a log projection appends to. */
export const PROJECTED_STREAM = 'seqs';

/** The keys a record projection spreads the source over: few, so that batches fold into keys written before. */
const KEYS = 7;

/** What a record projection keeps per key. */
export interface FoldedCount {
  readonly count: number;
  readonly sum: number;
}

/** The value of a log projection's entry: the sequence of the source entry it derives from. */
export interface ProjectedSeq {
  readonly seq: number;
}

/** The key of source entry `seq` in a record projection. */
export function projectedKey(seq: number): string {
  return `k${seq % KEYS}`;
}

/** The record projection of the sequences `seqs`, each folded once: key -> count and sum. */
export function foldCounts(seqs: Iterable<number>): Map<string, FoldedCount> {
  const byKey = new Map<string, FoldedCount>();
  for (const seq of seqs) {
    const before = byKey.get(projectedKey(seq)) ?? { count: 0, sum: 0 };
    byKey.set(projectedKey(seq), { count: before.count + 1, sum: before.sum + seq });
  }
  return byKey;
}

/** A record projection's `project`: folds a batch onto what the view says is committed. */
export async function projectCounts(
  entries: readonly LogItem<unknown>[],
  view: ProjectionView<unknown>,
): Promise<ProjectionWrite<FoldedCount>[]> {
  const next = new Map<string, FoldedCount>();
  for (const e of entries) {
    const key = projectedKey(e.seq);
    const before = next.get(key) ?? ((await view.get(key)) as FoldedCount | null) ?? { count: 0, sum: 0 };
    next.set(key, { count: before.count + 1, sum: before.sum + e.seq });
  }
  return [...next].map(([put, value]) => ({ put, value }));
}

/** A log projection's `project`: one entry per source entry, in {@link PROJECTED_STREAM}. */
export function projectSequences(entries: readonly LogItem<unknown>[]): ProjectionWrite<ProjectedSeq>[] {
  return entries.map((e) => ({ append: PROJECTED_STREAM, value: { seq: e.seq } }));
}
