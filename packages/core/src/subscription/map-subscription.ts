import type { Subscription } from './subscription.js';

/**
 * A subscription whose events are `fn(event)` of `inner`'s. An exception from `fn` (say, a value
 * that fails to decode) rejects that `next()` call; the subscription stays usable.
 */
export function mapSubscription<A, B>(inner: Subscription<A>, fn: (event: A) => B): Subscription<B> {
  const mapped: Subscription<B> = {
    async next() {
      const r = await inner.next();
      return r.done ? { value: undefined, done: true } : { value: fn(r.value), done: false };
    },
    async return() {
      await inner.close();
      return { value: undefined, done: true };
    },
    close: () => inner.close(),
    get closed() {
      return inner.closed;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return mapped;
}
