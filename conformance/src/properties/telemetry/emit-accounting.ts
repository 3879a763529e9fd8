import type { EmitStats } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';

/**
 * Checks the counters of `emit` against the number of entries emitted so far: every entry is
 * appended, dropped or still pending, never lost from the count nor counted twice (TEL-003). Checked
 * at every step, since a count that only settles at `flush` would hide drops while they happen.
 */
export function expectAccounted(stats: EmitStats, emitted: number, when: string): void {
  const sane = [stats.appended, stats.dropped, stats.pending].every((n) => Number.isInteger(n) && n >= 0);
  expectModel(
    sane && stats.appended + stats.dropped + stats.pending === emitted,
    ['TEL-003'],
    () => `${when}: appended + dropped + pending must be the ${emitted} entries emitted, stats() is ${show(stats)}`,
  );
}
