import type { TimeControl } from '../../environment/time-control.js';

/**
 * An expiry observed through a server clock. The deadline was set `ttlMs` after an operation the
 * suite saw run between `start` and `end` (its own clock), so it lies in `[start + ttl, end + ttl]`,
 * give or take the adapter's declared tolerance `slackMs`. A check made entirely before the earliest
 * deadline minus the tolerance must see the lease (or record) live; one begun after the latest deadline
 * plus the tolerance must see it expired. A check that straddles the window (the machine stalled) is
 * inconclusive and asserts nothing: server-clock properties must never fail on scheduling noise.
 */
export class ExpiryWindow {
  private constructor(
    private readonly time: TimeControl,
    /** Earliest instant the deadline can be (suite clock). */
    readonly earliest: number,
    /** Latest instant the deadline can be (suite clock). */
    readonly latest: number,
  ) {}

  /** Runs `op`, which sets a deadline `ttlMs` after it acts, and returns its result with the window. */
  static async around<T>(
    time: TimeControl,
    ttlMs: number,
    op: () => Promise<T>,
  ): Promise<{ value: T; window: ExpiryWindow }> {
    const start = time.now();
    const value = await op();
    const end = time.now();
    return { value, window: new ExpiryWindow(time, start + ttlMs, end + ttlMs) };
  }

  /** A deadline the adapter reported (`instant`, its clock), to check edges around. */
  static at(time: TimeControl, instant: number): ExpiryWindow {
    return new ExpiryWindow(time, instant, instant);
  }

  /** True when `instant` (as the adapter reported it) is a possible deadline, within the tolerance. */
  admits(instant: number | null | undefined): boolean {
    return (
      typeof instant === 'number' &&
      instant >= this.earliest - this.time.slackMs &&
      instant <= this.latest + this.time.slackMs
    );
  }

  /**
   * Runs `op`; `before` is true when it surely ran before the deadline (else the result says
   * nothing). A failure is the property's to judge only when it came before the deadline: on a
   * slow machine an operation started early may reach the server after the expiry, and then
   * failing as expired is a right answer (so it is passed over, with `before: false`).
   */
  async early<T>(op: () => Promise<T>): Promise<{ value: T; before: true } | { value?: T; before: false }> {
    try {
      const value = await op();
      return this.time.now() < this.earliest - this.time.slackMs ? { value, before: true } : { value, before: false };
    } catch (error) {
      if (this.time.now() < this.earliest - this.time.slackMs) throw error;
      return { before: false };
    }
  }

  /** Waits until the deadline has surely passed, tolerance included. */
  async pass(): Promise<void> {
    const wait = this.latest + this.time.slackMs + 1 - this.time.now();
    if (wait > 0) await this.time.advance(wait);
  }
}
