import type { Subscription } from './subscription.js';

/** Options of {@link createPullSubscription}. */
export interface PullSubscriptionOptions {
  /** Also look again after this long without a wake-up (a poll, for changes nobody announces). */
  readonly pollMs?: number;
  /** Runs once when the subscription closes (stop listening, untrack). */
  readonly onClose?: () => void;
}

/**
 * A subscription that reads its backend on demand: `next()` serves what the last `fetch` returned,
 * fetches again when that is used up, and when `fetch` finds nothing waits for `wake()` (a commit, a
 * NOTIFY) or the poll interval. A wake-up that arrives while a fetch runs is kept, so no change is
 * missed between reading and sleeping. `fetch` keeps its own position (it is called one at a time).
 */
export function createPullSubscription<E>(
  fetch: () => Promise<readonly E[]> | readonly E[],
  options: PullSubscriptionOptions = {},
): {
  /** The subscription. */
  subscription: Subscription<E>;
  /** Makes a waiting `next()` fetch again at once. */
  wake: () => void;
} {
  let buffered: E[] = [];
  let closed = false;
  let woken = false;
  let waiting: (() => void) | undefined;
  const wake = (): void => {
    woken = true;
    waiting?.();
  };
  const done = (): IteratorResult<E> => ({ value: undefined, done: true });
  const subscription: Subscription<E> = {
    async next(): Promise<IteratorResult<E>> {
      for (;;) {
        if (closed) return done();
        const event = buffered.shift();
        if (event !== undefined) return { value: event, done: false };
        woken = false;
        let events: readonly E[];
        try {
          events = await fetch();
        } catch (error) {
          if (closed) return done();
          throw error;
        }
        if (closed) return done();
        if (events.length > 0) {
          buffered = [...events];
          continue;
        }
        if (woken) continue; // something changed while we read: read again before sleeping
        await new Promise<void>((resolve) => {
          const timer = options.pollMs === undefined ? undefined : setTimeout(resolve, options.pollMs);
          waiting = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        waiting = undefined;
      }
    },
    async return() {
      await subscription.close();
      return done();
    },
    async close() {
      if (closed) return;
      closed = true;
      buffered = [];
      options.onClose?.();
      waiting?.();
    },
    get closed() {
      return closed;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return { subscription, wake };
}
