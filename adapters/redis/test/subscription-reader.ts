import { SubscriptionReader } from '@stateproof/conformance';

/** The suite's subscription reader, with the names these tests read best: `next(ms)` for `read(ms)`, and `close()`. */
export class Reader<E> extends SubscriptionReader<E> {
  /** The next event, 'done' when the subscription ended, or 'timeout' after `ms` without one. */
  next(ms = 3000): Promise<E | 'done' | 'timeout'> {
    return this.read(ms);
  }

  close(): Promise<void> {
    return this.sub.close();
  }
}
