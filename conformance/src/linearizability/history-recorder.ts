import type { Operation } from './operation.js';

/** A call in flight: complete it with its output, or leave it pending if it never returns. */
export interface PendingCall<O> {
  /** Records the response, timed now. */
  complete(output: O): void;
}

/**
 * Records a concurrent history: each client calls `invoke` right before it issues a call and
 * `complete` on the returned handle right after the response arrives. Calls never completed stay
 * pending (crashed, timed out, connection lost). Times come from `performance.now()` unless a
 * clock is given.
 */
export class HistoryRecorder<I, O> {
  private readonly ops: Array<{ client: number; input: I; invoke: number; complete?: number; output?: O }> = [];

  /** A recorder whose times come from `clock` (default `performance.now()`). */
  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** Starts a call of `client` with `input`. */
  invoke(client: number, input: I): PendingCall<O> {
    const op: { client: number; input: I; invoke: number; complete?: number; output?: O } = {
      client,
      input,
      invoke: this.clock(),
    };
    this.ops.push(op);
    const clock = this.clock;
    return {
      complete(output: O) {
        if (op.complete !== undefined) throw new Error('a call completes once');
        op.complete = clock();
        op.output = output;
      },
    };
  }

  /** The history so far (a copy; calls in flight are pending). */
  history(): Operation<I, O>[] {
    return this.ops.map((o) => ({ ...o }));
  }

  /** Operations recorded so far. */
  get size(): number {
    return this.ops.length;
  }
}
