// The linearizability checker as it was before partitions were searched side by side (commit ec8d19f):
// a frozen baseline that the benchmark times against the current checker in the same run. Not product
// code: it exists so that every figure in docs/benchmarks.md is a ratio measured in one run.
import { isDeepStrictEqual } from 'node:util';
import { outputOf, type Operation, type SequentialModel } from '@stateproof/conformance';
/**
 * A frozen copy of a {@link Bitset}: the number of leading full words, and the words from there to
 * the last non-empty one. When members are numbered in call order, the operations linearised so far
 * are almost a prefix, so that is a few words however long the history is; the usual case of at most
 * one such word packs into a single number (lead * 2^32 + word), else `[lead, ...words]`.
 */
export type BitsetSnapshot = number | readonly number[];

const FULL = 0xffffffff;

/** A fixed-size set of small integers (the operations linearised so far), with compact snapshots. */
export class Bitset {
  private readonly words: Uint32Array;
  /** Words [0, lead) are full. */
  private lead = 0;
  /** Words [top, end) are empty. */
  private top = 0;

  constructor(size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  set(i: number): void {
    const w = i >>> 5;
    this.words[w] = this.words[w]! | (1 << (i & 31));
    if (w >= this.top) this.top = w + 1;
    while (this.lead < this.words.length && this.words[this.lead] === FULL) this.lead++;
  }

  clear(i: number): void {
    const w = i >>> 5;
    this.words[w] = this.words[w]! & ~(1 << (i & 31));
    if (w < this.lead) this.lead = w;
    while (this.top > 0 && this.words[this.top - 1] === 0) this.top--;
  }

  /** A frozen copy, for the memo. */
  snapshot(): BitsetSnapshot {
    const length = this.top - this.lead;
    if (length <= 0) return this.lead * 2 ** 32;
    if (length === 1) return this.lead * 2 ** 32 + this.words[this.lead]!;
    const out = [this.lead];
    for (let w = this.lead; w < this.top; w++) out.push(this.words[w]!);
    return out;
  }

  /** Whether this set holds exactly the members of `s`. */
  equals(s: BitsetSnapshot): boolean {
    const length = this.top - this.lead;
    if (typeof s === 'number')
      return length <= 1 && s === this.lead * 2 ** 32 + (length === 1 ? this.words[this.lead]! : 0);
    if (s[0] !== this.lead || s.length !== length + 1) return false;
    for (let k = 1; k < s.length; k++) if (this.words[this.lead + k - 1] !== s[k]) return false;
    return true;
  }
}

/** FNV-1a over the UTF-16 code units of `s`. */
export function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** The default state hash: the value itself for small integers, else a hash of its JSON. */
export function defaultHash(state: unknown): number {
  if (typeof state === 'number' && Number.isSafeInteger(state)) return state | 0;
  if (typeof state === 'string') return stringHash(state);
  try {
    return stringHash(JSON.stringify(state) ?? String(state));
  } catch {
    return 0; // unserialisable (cycles, BigInt): one bucket, equality still decides
  }
}

/** The default state equality: identity, then deep equality. */
export function defaultEqual(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || isDeepStrictEqual(a, b);
}

/**
 * Random 32-bit words for Zobrist hashing of sets of operations: the hash of a set is the XOR of
 * its members' words, so adding or removing one operation updates it in constant time.
 * Deterministic (splitmix32), so runs are reproducible.
 */
export function zobristWords(n: number, seed = 0x9e3779b9): Int32Array {
  const out = new Int32Array(n);
  let x = seed | 0;
  for (let i = 0; i < n; i++) {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    out[i] = z ^ (z >>> 16);
  }
  return out;
}

/**
 * The calls and returns of a history in time order, as Wing & Gong's algorithm walks them. Entry
 * `2i` is the call of operation i, `2i + 1` its return. A call that never returned returns at +∞.
 * At equal times calls come before returns, so operations that touch in time count as concurrent
 * (the permissive reading: a history is never rejected for a tie of the clock).
 */
export interface EntryOrder {
  /** Entries in time order. */
  readonly entries: Int32Array;
  /** Position in `entries` of each operation's call. */
  readonly callPos: Int32Array;
  /** Position in `entries` of each operation's return. */
  readonly retPos: Int32Array;
}

/** Orders the calls and returns of `ops`; throws a RangeError for a malformed operation. */
export function orderEntries(ops: readonly Operation<unknown, unknown>[]): EntryOrder {
  const n = ops.length;
  const time = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const op = ops[i]!;
    if (!Number.isFinite(op.invoke)) throw new RangeError(`operation ${i} has no finite invoke time`);
    if (op.complete !== undefined && !(op.complete >= op.invoke))
      throw new RangeError(`operation ${i} completes (${op.complete}) before it is invoked (${op.invoke})`);
    time[2 * i] = op.invoke;
    time[2 * i + 1] = op.complete ?? Number.POSITIVE_INFINITY;
  }
  const order = Array.from({ length: 2 * n }, (_, e) => e);
  order.sort((a, b) => time[a]! - time[b]! || (a & 1) - (b & 1) || a - b);
  const entries = Int32Array.from(order);
  const callPos = new Int32Array(n);
  const retPos = new Int32Array(n);
  entries.forEach((e, pos) => (((e & 1) === 0 ? callPos : retPos)[e >> 1] = pos));
  return { entries, callPos, retPos };
}

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
    }
  | { readonly verdict: 'unknown'; readonly steps: number };

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

/**
 * Wing & Gong's search with Lowe's memo, as Porcupine does it: walk a doubly linked list of call and
 * return entries; linearise the first call whose step the model accepts (lifting the call and its
 * return out of the list) and start again from the head; on reaching a return whose call is not yet
 * linearised, undo the last choice (trying the step's other possible states first) and move on.
 * Every (set of linearised operations, state) pair is tried once: the memo skips a pair seen before,
 * since its continuations are the same. Gives up with 'unknown' when `deadline` (a
 * `performance.now()` instant) passes.
 */
export function searchPartition<S, I, O>(
  model: SequentialModel<S, I, O>,
  ops: readonly Operation<I, O>[],
  deadline: number,
): PartitionSearch<S> {
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
  const heads = new Map<number, number>();
  const chain: number[] = [];
  const packed: number[] = [];
  const spilled = new Map<number, BitsetSnapshot>();
  const memoStates: S[] = [];
  /** Records (members, state) and says whether it is new. */
  const remember = (state: S): boolean => {
    const key = (membersHash ^ Math.imul(hashState(state) | 0, 0x85ebca6b)) | 0;
    const first = heads.get(key) ?? -1;
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
  let top = null as Frame<S> | null;
  let longest = null as Frame<S> | null;
  let longestState: S = model.init();
  let state = longestState;
  let pos = next[head]!;
  let steps = 0;
  while (next[head] !== NIL) {
    if ((++steps & 1023) === 0 && performance.now() > deadline) return { verdict: 'unknown', steps };
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
    if (top === null)
      return { verdict: 'not-linearizable', longest: prefix(longest), state: longestState, entries: order, steps };
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
  return { verdict: 'linearizable', order: prefix(top), steps };
}

/**
 * The old check: partitions one after another in first-seen order, each to its end, so the first
 * hard partition takes all the time there is.
 */
export function baselineCheck<S, I, O>(
  model: SequentialModel<S, I, O>,
  history: readonly Operation<I, O>[],
  timeoutMs: number,
): { verdict: 'linearizable' | 'not-linearizable' | 'unknown'; steps: number } {
  const deadline = performance.now() + timeoutMs;
  const parts = model.partition ? model.partition(history) : [history];
  let steps = 0;
  for (const ops of parts) {
    const found = searchPartition(model, ops, deadline);
    steps += found.steps;
    if (found.verdict !== 'linearizable') return { verdict: found.verdict, steps };
  }
  return { verdict: 'linearizable', steps };
}
