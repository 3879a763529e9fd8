import type { LogItem, ProjectionView, ProjectionWrite, Runtime } from '@stateproof/core';
import type { CrashSurfaces } from './crash-surfaces.js';

/** The stream of the source log the crash workers append to and the projections fold. */
export const SOURCE_STREAM = 'src';

/** The keys a record projection spreads the source over. */
const KEYS = 7;

/** What a record projection keeps per key: how many source entries it folded, and the sum of their sequences. */
export interface FoldedCount {
  readonly count: number;
  readonly sum: number;
}

/** The key of source entry `seq` in the record projection. */
export function projectedKey(seq: number): string {
  return `k${seq % KEYS}`;
}

/**
 * The record projection's fold: per key, the entries and the sum of their sequences. An entry
 * applied twice or skipped shows in both, so the check needs nothing but the source to judge it.
 */
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

/** The log projection: one entry per source entry, naming its sequence, in one stream. */
export function projectSequences(entries: readonly LogItem<unknown>[]): ProjectionWrite<{ seq: number }>[] {
  return entries.map((e) => ({ append: 'seqs', value: { seq: e.seq } }));
}

/** The projectors of the projections a crash run defines, on `rt`; small batches, so a catch-up is several commits. */
export function crashProjectors(rt: Runtime, surfaces: Partial<CrashSurfaces>, batch: number) {
  const source = surfaces.source;
  if (!source) throw new Error('internal: a derived-projection crash run without its source log');
  return {
    record: surfaces.record
      ? rt.project(surfaces.record, { source, stream: SOURCE_STREAM, project: projectCounts as never, batch })
      : undefined,
    log: surfaces.log
      ? rt.project(surfaces.log, { source, stream: SOURCE_STREAM, project: projectSequences as never, batch })
      : undefined,
  };
}
