import { explainFailure, type LinearizabilityFailure } from './explain-failure.js';
import type { Operation } from './operation.js';
import { searchPartition } from './search-partition.js';
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
 * order); `not-linearizable` explains the first partition that has none; `unknown` means the check
 * ran out of time (the history may be either).
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
      /** Why the first such partition has none. */
      readonly failure: LinearizabilityFailure<S, I, O>;
    })
  | (LinearizabilityStats & {
      /** The check ran out of time; the history may be either. */
      readonly verdict: 'unknown';
      /** Why it stopped. */
      readonly reason: string;
    });

/**
 * Checks that `history` is linearizable with respect to `model`: that every operation can be given
 * an instant between its invoke and its complete such that the model, applying the operations in the
 * order of those instants, produces every observed output. A call that never returned may take
 * effect at any instant after its invoke, or never.
 *
 * The history is split with `model.partition` and each part searched on its own (Porcupine's
 * P-compositionality, then Wing & Gong / Lowe's memoised backtracking search). The check is
 * synchronous and stops at the first part that fails.
 */
export function checkLinearizability<S, I, O>(
  model: SequentialModel<S, I, O>,
  history: readonly Operation<I, O>[],
  options: CheckOptions = {},
): LinearizabilityResult<S, I, O> {
  const started = performance.now();
  const deadline = started + (options.timeoutMs ?? 10_000);
  const parts = model.partition ? model.partition(history) : [history];
  const linearizations: Operation<I, O>[][] = [];
  let steps = 0;
  const common = (): LinearizabilityStats => ({
    operations: history.length,
    partitions: parts.length,
    steps,
    durationMs: performance.now() - started,
  });
  for (const [index, ops] of parts.entries()) {
    const found = searchPartition(model, ops, deadline);
    steps += found.steps;
    switch (found.verdict) {
      case 'linearizable':
        linearizations.push(found.order.map((i) => ops[i]!));
        break;
      case 'unknown':
        return {
          ...common(),
          verdict: 'unknown',
          reason: `timed out after ${options.timeoutMs ?? 10_000} ms in partition ${index + 1} of ${parts.length} (${ops.length} operations)`,
        };
      case 'not-linearizable':
        return { ...common(), verdict: 'not-linearizable', failure: explainFailure(model, ops, index, found) };
    }
  }
  return { ...common(), verdict: 'linearizable', linearizations };
}
