import { UNKNOWN, type Operation, type SequentialModel } from '@stateproof/conformance';

/**
 * Linearizable by definition, for tiny histories: some order of all the operations that respects
 * real time replays through the model from one of its initial states, taking any of the states a
 * nondeterministic step offers. Exhaustive (n! orders), so only for the differential tests.
 */
export function exhaustivelyLinearizable<S, I, O>(
  model: SequentialModel<S, I, O>,
  ops: readonly Operation<I, O>[],
): boolean {
  const used = new Array<boolean>(ops.length).fill(false);
  const go = (state: S, placed: number): boolean => {
    if (placed === ops.length) return true;
    for (let i = 0; i < ops.length; i++) {
      if (used[i]) continue;
      const op = ops[i]!;
      // op may go next only if no unplaced operation returned strictly before op was invoked.
      if (ops.some((o, j) => !used[j] && j !== i && o.complete !== undefined && o.complete < op.invoke)) continue;
      const r = model.step(state, op.input, op.complete === undefined ? UNKNOWN : (op.output as O));
      if (!r.ok) continue;
      used[i] = true;
      const found = [r.next, ...(r.others ?? [])].some((s) => go(s, placed + 1));
      used[i] = false;
      if (found) return true;
    }
    return false;
  };
  return (model.initialStates ? model.initialStates() : [model.init()]).some((s) => go(s, 0));
}
