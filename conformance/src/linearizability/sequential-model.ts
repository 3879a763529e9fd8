import type { Operation, Unknown } from './operation.js';

/**
 * The result of applying one operation to a state: `ok: false` when the model cannot produce that
 * output from that state (with the reason, for the failure report), else the next state. A step whose
 * outcome is not determined by its output (typically a call that never returned, whose output is
 * {@link Unknown}) lists every further possible next state in `others`.
 */
export type StepResult<S> =
  | {
      /** The model can produce the output from the state. */
      readonly ok: true;
      /** The state after the operation. */
      readonly next: S;
      /** Further possible next states, when the output does not determine one. */
      readonly others?: readonly S[];
    }
  | {
      /** The model cannot produce the output from the state. */
      readonly ok: false;
      /**
       * Why the output is impossible in this state, in words; or a function that says it, so that a
       * search that rejects millions of steps builds the words only for the few it reports.
       */
      readonly why?: string | (() => string);
      /** Labels of the rules the output would break (e.g. requirement ids), for reports. */
      readonly violates?: readonly string[];
    };

/**
 * A sequential specification that histories are checked against: what the object would answer if
 * operations ran one at a time. States are values: `step` must not mutate the state it is given.
 */
export interface SequentialModel<S, I, O> {
  /** The state before any operation. */
  init(): S;
  /**
   * Every state the object may start in, for a model whose initial state is not known (a register
   * that may hold any of a few values before the history): a history is linearizable when one of
   * them gives a linearization. Default: `[init()]`.
   */
  initialStates?(): readonly S[];
  /**
   * Applies an operation with input `input` that answered `output` (or {@link Unknown} when it never
   * returned: then the step must accept, offering every state the call may have left).
   */
  step(state: S, input: I, output: O | Unknown): StepResult<S>;
  /** Whether two states are the same (default: `Object.is`, then deep equality). */
  equal?(a: S, b: S): boolean;
  /** A hash consistent with `equal` (default: a hash of the state's JSON). */
  hash?(state: S): number;
  /**
   * Splits a history into independent sub-histories (P-compositionality: a history is linearizable
   * when each part is; typically one part per key). Default: one part. See {@link partitionBy}.
   */
  partition?(history: readonly Operation<I, O>[]): readonly (readonly Operation<I, O>[])[];
  /** One operation in words, for reports (default: JSON of input and output). */
  describeOperation?(input: I, output: O | Unknown): string;
  /** A state in words, for reports (default: JSON). */
  describeState?(state: S): string;
}

/**
 * A partition function that groups operations by the key they touch (P-compositionality). An
 * operation with no key touches no object and is dropped; one with several keys goes into each of
 * their parts (then checking the parts is necessary for linearizability but no longer sufficient).
 */
export function partitionBy<I, O>(
  keyOf: (op: Operation<I, O>) => string | readonly string[] | undefined,
): (history: readonly Operation<I, O>[]) => Operation<I, O>[][] {
  return (history) => {
    const parts = new Map<string, Operation<I, O>[]>();
    for (const op of history) {
      const keys = keyOf(op);
      for (const key of keys === undefined ? [] : typeof keys === 'string' ? [keys] : keys) {
        const part = parts.get(key);
        if (part) part.push(op);
        else parts.set(key, [op]);
      }
    }
    return [...parts.values()];
  };
}
