import type { Subscription } from '@stateproof/core/adapter-kit';

/**
 * Reads a subscription with timeouts without losing events: a read that times out keeps its
 * pending `next()` for the following read (a subscription has a single consumer).
 */
export class Reader<E> {
  private pending: Promise<IteratorResult<E>> | undefined;

  constructor(readonly sub: Subscription<E>) {}

  /** The next event, 'done' when the subscription ended, or 'timeout' after `ms` without one. */
  async next(ms = 3000): Promise<E | 'done' | 'timeout'> {
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
      const e = await this.next(quietMs);
      if (e === 'timeout' || e === 'done') return out;
      out.push(e);
    }
  }

  close(): Promise<void> {
    return this.sub.close();
  }
}
