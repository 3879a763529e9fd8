import { Bitset, type BitsetSnapshot } from './bitset.js';
import { orderEntries, type EntryOrder } from './entry-order.js';
import { IntMap } from './int-map.js';
import { outputOf, type Operation } from './operation.js';
import type { SequentialModel } from './sequential-model.js';
import { defaultEqual, defaultHash, zobristWords } from './state-identity.js';

/** What the search of one partition found. */
export type PartitionSearch<S> =
  | { readonly verdict: 'linearizable'; readonly order: readonly number[]; readonly steps: number }
  | {
      readonly verdict: 'not-linearizable';
      /** The longest linearisable prefix the search reached (operation indices, in order) and the state after it. */
      readonly longest: readonly number[];
      readonly state: S;
      readonly entries: EntryOrder;
      readonly steps: number;
    };

/** One linearised operation; frames link to the one below, so a prefix is kept by keeping its top frame. */
interface Frame<S> {
  readonly below: Frame<S> | null;
  readonly depth: number;
  /** Position of the linearised call in the entry list. */
  readonly pos: number;
  /** The state before it. */
  readonly before: S;
  /** Every state the step offered (null when it offered one), and which one is in use. */
  readonly options: readonly S[] | null;
  option: number;
}

const NIL = -1;

/** A partition search that can be run a budget of steps at a time, and resumed where it stopped. */
export interface ResumableSearch<S> {
  /**
   * Runs at most `budget` more steps (and never past `deadline`, a `performance.now()` instant):
   * the verdict once the search has one, else undefined (call again to go on).
   */
  run(budget: number, deadline: number): PartitionSearch<S> | undefined;
  /** Steps taken so far. */
  readonly steps: number;
}

/**
 * Wing & Gong's search with Lowe's memo, as Porcupine does it: walk a doubly linked list of call and
 * return entries; linearise the first call whose step the model accepts (lifting the call and its
 * return out of the list) and start again from the head; on reaching a return whose call is not yet
 * linearised, undo the last choice (trying the step's other possible states first) and move on.
 * Every (set of linearised operations, state) pair is tried once: the memo skips a pair seen before,
 * since its continuations are the same. The search starts from `initial` (default `model.init()`)
 * and keeps its whole state between runs, so a scheduler can share time among partitions without
 * repeating work.
 */
export function createPartitionSearch<S, I, O>(
  model: SequentialModel<S, I, O>,
  ops: readonly Operation<I, O>[],
  initial: S = model.init(),
): ResumableSearch<S> {
  const n = ops.length;
  const order = orderEntries(ops);
  const { entries } = order;
  const size = 2 * n;
  const head = size;
  // Linked list over entry positions 0..size-1, with the head sentinel at `size`.
  const next = new Int32Array(size + 1);
  const prev = new Int32Array(size + 1);
  for (let p = 0; p < size; p++) {
    next[p] = p + 1 < size ? p + 1 : NIL;
    prev[p] = p === 0 ? head : p - 1;
  }
  next[head] = size > 0 ? 0 : NIL;
  prev[head] = NIL;

  const lift = (c: number): void => {
    const r = order.retPos[entries[c]! >> 1]!;
    next[prev[c]!] = next[c]!;
    prev[next[c]!] = prev[c]!; // a call is always followed by its return, so next[c] is never NIL
    next[prev[r]!] = next[r]!;
    if (next[r] !== NIL) prev[next[r]!] = prev[r]!;
  };
  // Undoes lift(c); lifts are undone in reverse order, so the removed entries' links are still right.
  const unlift = (c: number): void => {
    const r = order.retPos[entries[c]! >> 1]!;
    next[prev[r]!] = r;
    if (next[r] !== NIL) prev[next[r]!] = r;
    next[prev[c]!] = c;
    prev[next[c]!] = c;
  };

  const equal = model.equal ? model.equal.bind(model) : defaultEqual;
  const hashState = model.hash ? model.hash.bind(model) : defaultHash;
  // Members are numbered in call order, so that the linearised set is nearly a prefix (compact snapshots).
  const member = new Int32Array(n);
  let calls = 0;
  for (const e of entries) if ((e & 1) === 0) member[e >> 1] = calls++;
  const zobrist = zobristWords(n);
  const members = new Bitset(n);
  let membersHash = 0;
  // The memo, as parallel arrays (millions of entries on a long failing history): a hash key maps to
  // its newest entry, each entry to the next one with the same key. Member sets that pack into a
  // number are stored unboxed; the rare others are kept aside.
  const heads = new IntMap(4 * n);
  const chain: number[] = [];
  const packed: number[] = [];
  const spilled = new Map<number, BitsetSnapshot>();
  const memoStates: S[] = [];
  /** Records (members, state) and says whether it is new. */
  const remember = (state: S): boolean => {
    const key = (membersHash ^ Math.imul(hashState(state) | 0, 0x85ebca6b)) | 0;
    const first = heads.get(key);
    for (let e = first; e !== -1; e = chain[e]!) {
      const p = packed[e]!;
      if (members.equals(Number.isNaN(p) ? spilled.get(e)! : p) && equal(memoStates[e]!, state)) return false;
    }
    const e = memoStates.length;
    const snapshot = members.snapshot();
    if (typeof snapshot === 'number') packed.push(snapshot);
    else {
      packed.push(Number.NaN);
      spilled.set(e, snapshot);
    }
    memoStates.push(state);
    chain.push(first);
    heads.set(key, e);
    return true;
  };
  /** Marks operation i linearised with `state` after it, unless that pair was tried before. */
  const tryPlace = (i: number, state: S): boolean => {
    const m = member[i]!;
    members.set(m);
    membersHash ^= zobrist[m]!;
    if (remember(state)) return true;
    members.clear(m);
    membersHash ^= zobrist[m]!;
    return false;
  };

  /** The operations linearised so far, from the top frame down. */
  const prefix = (f: Frame<S> | null): number[] => {
    const out: number[] = [];
    for (; f; f = f.below) out.push(entries[f.pos]! >> 1);
    return out.reverse();
  };
  // Where the search stands between runs. A run works on local copies (V8 keeps locals in
  // registers, captured variables in a heap context) and saves them when it stops.
  const saved = {
    top: null as Frame<S> | null,
    longest: null as Frame<S> | null,
    longestState: initial,
    state: initial,
    pos: next[head]!,
    steps: 0,
  };
  let verdict: PartitionSearch<S> | undefined;
  const run = (budget: number, deadline: number) => {
    if (verdict) return verdict;
    let { top, longest, longestState, state, pos, steps } = saved;
    const stop = steps + budget;
    while (next[head] !== NIL) {
      // No closure may capture these locals (V8 would move them to the heap): save them inline.
      if (steps >= stop || ((++steps & 1023) === 0 && performance.now() > deadline)) {
        saved.top = top;
        saved.longest = longest;
        saved.longestState = longestState;
        saved.state = state;
        saved.pos = pos;
        saved.steps = steps;
        return undefined;
      }
      const e = entries[pos]!;
      const i = e >> 1;
      if ((e & 1) === 0) {
        // A call: try to linearise it now.
        const op = ops[i]!;
        const r = model.step(state, op.input, outputOf(op));
        let placed = false;
        if (r.ok) {
          const options = r.others && r.others.length > 0 ? [r.next, ...r.others] : null;
          const count = options ? options.length : 1;
          for (let k = 0; k < count && !placed; k++) {
            const s = options ? options[k]! : r.next;
            if (tryPlace(i, s)) {
              top = { below: top, depth: (top?.depth ?? 0) + 1, pos, before: state, options, option: k };
              state = s;
              placed = true;
            }
          }
        }
        if (placed) {
          lift(pos);
          pos = next[head]!;
        } else {
          pos = next[pos]!;
        }
        continue;
      }
      // A return whose call is not linearised: this branch is dead; undo the last choice.
      if (top === null) {
        saved.steps = steps;
        return (verdict = {
          verdict: 'not-linearizable',
          longest: prefix(longest),
          state: longestState,
          entries: order,
          steps,
        });
      }
      if (top.depth > (longest?.depth ?? 0)) {
        longest = top;
        longestState = state;
      }
      const j = entries[top.pos]! >> 1;
      members.clear(member[j]!);
      membersHash ^= zobrist[member[j]!]!;
      let resumed = false;
      if (top.options) {
        for (let k = top.option + 1; k < top.options.length && !resumed; k++) {
          if (tryPlace(j, top.options[k]!)) {
            top.option = k;
            state = top.options[k]!;
            resumed = true;
          }
        }
      }
      if (resumed) {
        pos = next[head]!;
        continue;
      }
      state = top.before;
      unlift(top.pos);
      pos = next[top.pos]!;
      top = top.below;
    }
    saved.steps = steps;
    return (verdict = { verdict: 'linearizable', order: prefix(top), steps });
  };
  return {
    run,
    get steps() {
      return saved.steps;
    },
  };
}
