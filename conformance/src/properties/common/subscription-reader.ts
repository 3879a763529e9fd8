import type { Subscription } from '@stateproof/core';

/**
 * Reads a subscription with timeouts without losing events: a read that times out keeps its pending
 * `next()` for the following read, since a subscription has a single consumer.
 */
export class SubscriptionReader<E> {
  private pending: Promise<IteratorResult<E>> | undefined;

  /** A reader of `sub`. */
  constructor(
    /** The subscription read. */
    readonly sub: Subscription<E>,
  ) {}

  /** The next event, `'done'` when the subscription ended, or `'timeout'` after `ms` without one. */
  async read(ms: number): Promise<E | 'done' | 'timeout'> {
    this.pending ??= this.sub.next();
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([
      this.pending,
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms))),
    ]);
    clearTimeout(timer);
    if (r === 'timeout') return r;
    this.pending = undefined;
    return r.done ? 'done' : r.value;
  }

  /** Every event until none comes for `quietMs` (or the subscription ends). */
  async drain(quietMs = 300): Promise<E[]> {
    const out: E[] = [];
    for (;;) {
      const e = await this.read(quietMs);
      if (e === 'timeout' || e === 'done') return out;
      out.push(e);
    }
  }

  /** Closes the subscription; reports whether a read pending at that moment ended with done (within `ms`). */
  async closeEndsPending(ms = 2000): Promise<boolean> {
    this.pending ??= this.sub.next();
    await this.sub.close();
    const r = await this.read(ms);
    return r === 'done';
  }
}
