/**
 * A source of time in epoch milliseconds. Adapters that run in-process (memory, SQLite) take an
 * injectable clock so that tests of expiry advance time instead of sleeping.
 */
export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to; for tests of leases, TTLs and backoff. */
export class ManualClock implements Clock {
  private current: number;

  /** Starts at `start` epoch milliseconds (default: a fixed, recognisable instant). */
  constructor(start = Date.UTC(2030, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** Moves time forward by `ms` (never backwards). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('ManualClock.advance needs a non-negative number of milliseconds');
    this.current += ms;
  }

  /** Sets the time; refuses to move backwards, since no backend clock does that to a lease. */
  set(epochMs: number): void {
    if (epochMs < this.current) throw new RangeError('ManualClock.set cannot move time backwards');
    this.current = epochMs;
  }
}
