/**
 * The output of a call that never returned (it crashed, timed out or lost its connection): it may
 * have taken effect or not, and nobody saw what it would have answered.
 */
export const UNKNOWN: unique symbol = Symbol('unknown output');

/** The type of {@link UNKNOWN}. */
export type Unknown = typeof UNKNOWN;

/**
 * One call of a concurrent history: who made it, what it asked, when it was invoked and, if it
 * returned, when and with what. Times are any monotonic clock (the recorder uses
 * `performance.now()`); only their order matters.
 */
export interface Operation<I, O> {
  /** The client (process, connection) that made the call, for reports. */
  readonly client: number;
  /** What it asked. */
  readonly input: I;
  /** When the call was issued. */
  readonly invoke: number;
  /** When the response arrived; undefined for a call that never returned. */
  readonly complete?: number | undefined;
  /** The response; ignored when `complete` is undefined. */
  readonly output?: O | undefined;
}

/** Whether `op` never returned (so its effect and output are unknown). */
export function isPending(op: Operation<unknown, unknown>): boolean {
  return op.complete === undefined;
}

/** The output a model sees for `op`: its response, or {@link UNKNOWN} when it never returned. */
export function outputOf<I, O>(op: Operation<I, O>): O | Unknown {
  return op.complete === undefined ? UNKNOWN : (op.output as O);
}
