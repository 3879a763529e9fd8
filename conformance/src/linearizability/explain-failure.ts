import { outputOf, type Operation } from './operation.js';
import type { PartitionSearch } from './search-partition.js';
import type { SequentialModel } from './sequential-model.js';

/** An operation that could not be linearised after the longest prefix, and why. */
export interface UnplacedOperation<I, O> {
  /** The operation. */
  readonly operation: Operation<I, O>;
  /** The model's reason, or why a step that fits still leads nowhere. */
  readonly why: string;
  /** Rules the model says the output breaks (empty when the step fits but every continuation fails). */
  readonly violates: readonly string[];
}

/**
 * Why a partition is not linearizable: the longest prefix of it that the search could linearise,
 * the state after that prefix, and the operations that could not come next. `blocked` is the
 * operation that had to come next (the earliest response still to explain); `unplaced` are all the
 * candidates for the next place (those invoked before that response), with the model's reasons.
 */
export interface LinearizabilityFailure<S, I, O> {
  /** Index of the failing partition. */
  readonly partition: number;
  /** Every operation of that partition. */
  readonly operations: readonly Operation<I, O>[];
  /** The longest linearisable prefix, in linearization order. */
  readonly prefix: readonly Operation<I, O>[];
  /** The model state after the prefix. */
  readonly state: S;
  /** The operation that had to come next: the earliest response still to explain. */
  readonly blocked: Operation<I, O>;
  /** Every candidate for the next place, with the model's reasons. */
  readonly unplaced: readonly UnplacedOperation<I, O>[];
  /** Every rule named by the unplaced operations. */
  readonly violates: readonly string[];
}

/**
 * Builds the explanation of a failed partition search (what {@link checkLinearizability} reports).
 * @internal
 */
export function explainFailure<S, I, O>(
  model: SequentialModel<S, I, O>,
  ops: readonly Operation<I, O>[],
  partition: number,
  found: Extract<PartitionSearch<S>, { verdict: 'not-linearizable' }>,
): LinearizabilityFailure<S, I, O> {
  const { entries, callPos, retPos } = found.entries;
  const done = new Set(found.longest);
  // The first return (in time order) of an operation outside the prefix: that operation must come next.
  let blockedAt = entries.length;
  for (let i = 0; i < ops.length; i++) if (!done.has(i) && retPos[i]! < blockedAt) blockedAt = retPos[i]!;
  const blocked = entries[blockedAt]! >> 1;
  const unplaced: UnplacedOperation<I, O>[] = [];
  const candidates = ops.map((_, i) => i).filter((i) => !done.has(i) && callPos[i]! < blockedAt);
  candidates.sort((a, b) => (a === blocked ? -1 : b === blocked ? 1 : callPos[a]! - callPos[b]!));
  for (const i of candidates) {
    const op = ops[i]!;
    const r = model.step(found.state, op.input, outputOf(op));
    unplaced.push(
      r.ok
        ? { operation: op, why: 'fits here, but no linearization of the rest follows from it', violates: [] }
        : {
            operation: op,
            why: (typeof r.why === 'function' ? r.why() : r.why) ?? 'the model rejects this output in this state',
            violates: r.violates ?? [],
          },
    );
  }
  return {
    partition,
    operations: ops,
    prefix: found.longest.map((i) => ops[i]!),
    state: found.state,
    blocked: ops[blocked]!,
    unplaced,
    violates: [...new Set(unplaced.flatMap((u) => u.violates))],
  };
}
