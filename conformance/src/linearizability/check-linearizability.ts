import { explainFailure, type LinearizabilityFailure } from './explain-failure.js';
import type { Operation } from './operation.js';
import { createPartitionSearch, type PartitionSearch, type ResumableSearch } from './search-partition.js';
import type { SequentialModel } from './sequential-model.js';

/** Options of {@link checkLinearizability}. */
export interface CheckOptions {
  /** Longest the whole check may take before it answers 'unknown' (default 10 s). */
  readonly timeoutMs?: number;
}

/** What every verdict of {@link checkLinearizability} reports of the work done. */
export interface LinearizabilityStats {
  /** Operations in the history. */
  readonly operations: number;
  /** Independent parts it was split into. */
  readonly partitions: number;
  /** Search steps taken, over all partitions checked. */
  readonly steps: number;
  /** Time spent, in ms. */
  readonly durationMs: number;
}

/**
 * The checker's verdict. `linearizable` carries a witness (one linearization per partition, in
 * order); `not-linearizable` explains a partition that has none (the first found: partitions are
 * searched side by side, smallest first); `unknown` means the check ran out of time (the history may
 * be either).
 */
export type LinearizabilityResult<S, I, O> =
  | (LinearizabilityStats & {
      /** Every partition has a linearization. */
      readonly verdict: 'linearizable';
      /** One linearization per partition, in partition order. */
      readonly linearizations: readonly (readonly Operation<I, O>[])[];
    })
  | (LinearizabilityStats & {
      /** A partition has none. */
      readonly verdict: 'not-linearizable';
      /** Why the failing partition (the first one found) has none. */
      readonly failure: LinearizabilityFailure<S, I, O>;
    })
  | (LinearizabilityStats & {
      /** The check ran out of time; the history may be either. */
      readonly verdict: 'unknown';
      /** Why it stopped, naming the partitions still undecided. */
      readonly reason: string;
      /** The partitions the search had not decided when time ran out (every other one is linearizable). */
      readonly undecided: readonly UndecidedPartition[];
    });

/** A partition the search could not decide in time. */
export interface UndecidedPartition {
  /** Its index among the partitions (0-based, in the order `model.partition` gave them). */
  readonly partition: number;
  /** Operations in it. */
  readonly operations: number;
  /** Search steps spent on it. */
  readonly steps: number;
}

/** Steps each undecided partition gets in the first round; every round doubles it. */
const FIRST_BUDGET = 2048;

/**
 * Checks that `history` is linearizable with respect to `model`: that every operation can be given
 * an instant between its invoke and its complete such that the model, applying the operations in the
 * order of those instants, produces every observed output. A call that never returned may take
 * effect at any instant after its invoke, or never. A model with `initialStates` may start from any
 * of them (a partition is linearizable when one of them gives a linearization).
 *
 * The history is split with `model.partition` and each part searched on its own (Porcupine's
 * P-compositionality, then Wing & Gong / Lowe's memoised backtracking search). The parts are
 * searched side by side, in rounds: each undecided part runs a budget of steps, which doubles every
 * round, and resumes where it stopped (smallest parts first in each round). So one hard part cannot hide a violation in another: the
 * check answers 'not-linearizable' as soon as any part fails, and 'unknown' only when time runs out
 * with parts undecided, which it names. Work is never repeated, and no part runs more than about
 * twice the steps of the slowest part that decided.
 */
export function checkLinearizability<S, I, O>(
  model: SequentialModel<S, I, O>,
  history: readonly Operation<I, O>[],
  options: CheckOptions = {},
): LinearizabilityResult<S, I, O> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = started + timeoutMs;
  const parts = model.partition ? model.partition(history) : [history];
  const initials = model.initialStates ? model.initialStates() : [model.init()];
  if (initials.length === 0) throw new RangeError('model.initialStates() gave no state');
  // One search per partition and initial state; a partition is decided linearizable by any of its searches.
  const pending = parts.map((ops, index) => ({
    index,
    ops,
    // Made at the partition's first turn, so that a history of many small keys holds one memo at a time.
    searches: undefined as ResumableSearch<S>[] | undefined,
    failures: [] as Extract<PartitionSearch<S>, { verdict: 'not-linearizable' }>[],
    /** Steps of its searches that have ended (those still running count their own). */
    spent: 0,
  }));
  // Small partitions first: they cost least, and a violation in one ends the check before the large ones run.
  pending.sort((a, b) => a.ops.length - b.ops.length || a.index - b.index);
  const orders: (readonly number[] | undefined)[] = parts.map(() => undefined);
  let retired = 0;
  const steps = () =>
    retired + pending.reduce((sum, p) => sum + (p.searches ?? []).reduce((t, search) => t + search.steps, 0), 0);
  const stats = (): LinearizabilityStats => ({
    operations: history.length,
    partitions: parts.length,
    steps: steps(),
    durationMs: performance.now() - started,
  });
  let budget = FIRST_BUDGET;
  while (pending.length > 0) {
    // Decided partitions leave the list by compaction, not one splice each (a history may have thousands).
    let kept = 0;
    for (let k = 0; k < pending.length; k++) {
      const part = pending[k]!;
      const searches = (part.searches ??= initials.map((s) => createPartitionSearch(model, part.ops, s)));
      let decided = false;
      for (let s = 0; s < searches.length && !decided;) {
        const found = searches[s]!.run(budget, deadline);
        if (found === undefined) {
          s++;
          continue;
        }
        retired += found.steps;
        part.spent += found.steps;
        searches.splice(s, 1);
        if (found.verdict === 'linearizable') {
          orders[part.index] = found.order;
          retired += searches.reduce((t, search) => t + search.steps, 0);
          searches.length = 0;
          decided = true;
        } else {
          part.failures.push(found);
          if (searches.length === 0) {
            // Every initial state fails: report the one that got furthest.
            const best = part.failures.reduce((a, b) => (b.longest.length > a.longest.length ? b : a));
            pending.splice(kept, k + 1 - kept);
            return {
              ...stats(),
              verdict: 'not-linearizable',
              failure: explainFailure(model, part.ops, part.index, best),
            };
          }
        }
      }
      if (!decided) pending[kept++] = part;
      if (performance.now() > deadline) {
        // Out of time: the rest of the round is not started, only kept for the report.
        for (let rest = k + 1; rest < pending.length; rest++) pending[kept++] = pending[rest]!;
        break;
      }
    }
    pending.length = kept;
    if (pending.length > 0 && performance.now() > deadline) {
      const undecided = pending
        .map((p) => ({
          partition: p.index,
          operations: p.ops.length,
          steps: p.spent + (p.searches ?? []).reduce((t, search) => t + search.steps, 0),
        }))
        .sort((a, b) => a.partition - b.partition);
      const named = undecided
        .slice(0, 5)
        .map((u) => `${u.partition + 1} (${u.operations} operations, ${u.steps} steps)`)
        .join(', ');
      return {
        ...stats(),
        verdict: 'unknown',
        reason: `timed out after ${timeoutMs} ms with ${undecided.length} of ${parts.length} partitions undecided: ${named}${
          undecided.length > 5 ? ', …' : ''
        }; every other partition is linearizable`,
        undecided,
      };
    }
    budget *= 2;
  }
  const linearizations = orders.map((order, index) => order!.map((i) => parts[index]![i]!));
  return { ...stats(), verdict: 'linearizable', linearizations };
}
