/**
 * A stream of events from a subscription. Iterate it with `for await`; `close()` (or breaking out of
 * the loop) ends it and frees its resources. Subscriptions are bounded: a consumer that falls behind
 * receives an explicit event saying so (resync or lagged), never a silent loss.
 */
export interface Subscription<E> extends AsyncIterableIterator<E> {
  /** Ends the subscription; pending `next()` calls resolve with `done: true`. Idempotent. */
  close(): Promise<void>;
  /** True once closed, by the consumer or because the adapter closed. */
  readonly closed: boolean;
}
