import type { Operation } from './operation.js';

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
