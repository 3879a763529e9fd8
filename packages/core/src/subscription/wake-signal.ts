/**
 * A wake-up for a polling loop: `wait(ms)` resolves when poked or after `ms`, whichever is first. A
 * poke that arrives while the loop is busy is remembered, so a notification that lands between a
 * poll and the next wait is never lost.
 */
export class WakeSignal {
  private pending = false;
  private resolve: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  /** Wakes the waiter now, or the next one. */
  poke(): void {
    const r = this.resolve;
    if (!r) {
      this.pending = true;
      return;
    }
    this.resolve = undefined;
    clearTimeout(this.timer);
    r();
  }

  /** Forgets a remembered poke (call right before polling: the poll sees what the poke announced). */
  clear(): void {
    this.pending = false;
  }

  /** Resolves on the next poke, or after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.timer = setTimeout(() => {
        this.resolve = undefined;
        resolve();
      }, ms);
    });
  }
}
