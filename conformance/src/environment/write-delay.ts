import type { ManualClock } from '@stateproof/core';
import type { BeforeLeaseJudgement, LeaseJudgedWrite } from '@stateproof/core/adapter-kit';

/**
 * A write whose lease the adapter judges: `{ kind: 'claim' | 'queue', operation, key }`, where
 * `operation` is the store method (`renew`, `complete`, `release`, `abandon` of a claim;
 * `heartbeat`, `complete`, `fail`, `acknowledgeCancel` of a task) and `key` the claim's key or the
 * task's id.
 */
export type DelayedWrite = LeaseJudgedWrite;

/**
 * The delay the suite hands `ConformanceTarget.create` as `options.writeDelay` when the target
 * declares {@link ConformanceTarget.writeDelay}. The adapter calls it inside every lease-judged
 * write (claim renew, complete, release, abandon; task heartbeat, complete, fail, acknowledgeCancel),
 * after the write holds its locks (for Postgres: after `SELECT ... FOR UPDATE` of the row, in the
 * write's transaction) and before it reads the time by which it judges the lease; the reference
 * adapters take it as `testHooks.beforeLeaseJudgement`. On a server clock the suite's delay returns
 * a promise that resolves after a sleep, which the adapter awaits inside its transaction; on an
 * injected clock it moves that clock synchronously and returns nothing, so an adapter whose
 * transaction cannot span an `await` (SQLite) may call it without awaiting.
 */
export type WriteDelay = BeforeLeaseJudgement;

/** How a property delays a fixture's next lease-judged write past a lease's expiry. */
export interface WriteDelayControl {
  /** The delay the fixture passes to the target's `create` (one for every instance of the fixture). */
  readonly hook: WriteDelay;
  /**
   * Delays the next write `match` accepts by `ms`, once: on an injected clock the clock moves on by
   * `ms` inside the write; on a server clock the write sleeps `ms` inside its transaction.
   */
  arm(ms: number, match: (write: DelayedWrite) => boolean): void;
  /** The writes delayed so far, in order. */
  readonly delayed: readonly DelayedWrite[];
  /** Every write the adapter announced, delayed or not. */
  readonly seen: readonly DelayedWrite[];
}

/** A delay control over the fixture's manual clock (`exact`) or real time. */
export function writeDelayControl(clock: ManualClock, exact: boolean): WriteDelayControl {
  let armed: { ms: number; match: (write: DelayedWrite) => boolean } | undefined;
  const delayed: DelayedWrite[] = [];
  const seen: DelayedWrite[] = [];
  return {
    hook: (write) => {
      seen.push(write);
      if (!armed?.match(write)) return undefined;
      const { ms } = armed;
      armed = undefined;
      delayed.push(write);
      if (exact) {
        clock.advance(ms);
        return undefined;
      }
      return new Promise<void>((resolve) => setTimeout(resolve, ms));
    },
    arm: (ms, match) => {
      armed = { ms, match };
    },
    delayed,
    seen,
  };
}
