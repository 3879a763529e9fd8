import type { Subscription } from './subscription.js';

/** Default number of undelivered events a subscription buffers before it is lagging. */
export const DEFAULT_BUFFER_SIZE = 1024;

/** The producer side of a subscription built with {@link createEventBuffer}. */
export interface EventSink<E> {
  /** Queues an event; false (and nothing queued) when the buffer is full or the subscription closed. */
  push(event: E): boolean;
  /** Drops everything undelivered and queues `events` instead, ignoring the bound (for resync). */
  replace(events: readonly E[]): void;
  /** Ends the subscription after the buffered events are consumed. */
  end(): void;
  /** Undelivered events. */
  readonly size: number;
  /** Whether the subscription was closed; later events are not queued. */
  readonly closed: boolean;
}

/**
 * A bounded, single-consumer event buffer exposed as a {@link Subscription}. The producer decides
 * what a full buffer means (resync, a counted drop); the buffer itself never drops silently.
 */
export function createEventBuffer<E>(options: { bufferSize?: number; onClose?: () => void | Promise<void> } = {}): {
  /** The consumer's side. */
  subscription: Subscription<E>;
  /** The producer's side. */
  sink: EventSink<E>;
} {
  const limit = options.bufferSize ?? DEFAULT_BUFFER_SIZE;
  let queue: E[] = [];
  let waiter: ((r: IteratorResult<E>) => void) | undefined;
  let ended = false;
  let closed = false;

  const finish = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    queue = [];
    const w = waiter;
    waiter = undefined;
    w?.({ value: undefined, done: true });
    await options.onClose?.();
  };

  const deliver = (): void => {
    if (!waiter) return;
    if (queue.length > 0) {
      const w = waiter;
      waiter = undefined;
      w({ value: queue.shift() as E, done: false });
    } else if (ended) {
      void finish();
    }
  };

  const sink: EventSink<E> = {
    push(event) {
      if (closed || ended || queue.length >= limit) return false;
      queue.push(event);
      deliver();
      return true;
    },
    replace(events) {
      if (closed || ended) return;
      queue = [...events];
      deliver();
    },
    end() {
      ended = true;
      deliver();
    },
    get size() {
      return queue.length;
    },
    get closed() {
      return closed;
    },
  };

  const subscription: Subscription<E> = {
    next() {
      if (closed) return Promise.resolve({ value: undefined, done: true });
      if (queue.length > 0) return Promise.resolve({ value: queue.shift() as E, done: false });
      if (ended) {
        void finish();
        return Promise.resolve({ value: undefined, done: true });
      }
      if (waiter)
        return Promise.reject(new Error('a subscription has one consumer; await next() before calling it again'));
      return new Promise((resolve) => {
        waiter = resolve;
      });
    },
    async return() {
      await finish();
      return { value: undefined, done: true };
    },
    close: finish,
    get closed() {
      return closed;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return { subscription, sink };
}
