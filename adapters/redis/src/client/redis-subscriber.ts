import { Redis } from 'ioredis';
import { ClosedError } from '@stateproof/core/adapter-kit';
import { driverUrl, safeRedisOptions, type RedisConnectionSettings } from './redis-connection.js';
import { toStateproofError } from './redis-errors.js';

/**
 * What a listener receives: a message's payload, or null after the connection was lost and made
 * again (messages published meanwhile are gone: Redis pub/sub keeps nothing for an absent
 * subscriber, so the receiver should look for itself, or report the gap).
 */
export type MessageHandler = (payload: string | null) => void;

/** A registration made by {@link RedisSubscriber.listen}. */
export interface Listening {
  /** Resolves once SUBSCRIBE is active on the current connection; rejects when it cannot be made now (the subscriber keeps retrying). */
  readonly ready: Promise<void>;
  /** Stops delivering to this handler (UNSUBSCRIBE when it was the channel's last one). */
  close(): void;
}

/**
 * The one pub/sub connection of an adapter instance (a connection in subscriber mode can run no
 * other command). Messages are wake-up hints for the polling stores (log tails, queue waiters,
 * dataspace subscriptions) and the payload of channels. When the connection drops, ioredis
 * reconnects; the subscriber then SUBSCRIBEs again to every channel still wanted and calls every
 * handler with null, so that nothing waits on a message lost in between and a channel can report
 * the gap as lag.
 */
export class RedisSubscriber {
  private readonly client: Redis;
  private readonly handlers = new Map<string, Set<MessageHandler>>();
  /** SUBSCRIBE issued on the current connection, per channel. */
  private subscribed = new Map<string, Promise<void>>();
  private closed = false;
  private everReady = false;
  /** A retry of the SUBSCRIBEs that failed while the connection stayed up. */
  private retry: NodeJS.Timeout | undefined;
  /**
   * Messages that arrive while a reconnection's SUBSCRIBEs are still answering: held back until every
   * handler has heard of the reconnection (null), so that a channel reports its gap before what came after it.
   */
  private held: Array<readonly [string, string]> | undefined;
  /** Connections made again after a drop (for tests and metrics). */
  reconnects = 0;

  /** A pub/sub connection with `settings`, without a command timeout: it waits for messages indefinitely. */
  constructor(settings: RedisConnectionSettings) {
    // No command timeout: a subscriber waits for messages indefinitely.
    const { commandTimeoutMs: _unused, ...rest } = settings;
    this.client = new Redis(driverUrl(settings.url), safeRedisOptions(rest));
    this.client.on('error', () => undefined);
    this.client.on('message', (channel: string, message: string) => this.deliver(channel, message));
    this.client.on('ready', () => void this.resubscribe());
    this.client.on('close', () => {
      this.subscribed = new Map();
    });
  }

  /** Delivers every message on `channel` to `handler` until closed. */
  listen(channel: string, handler: MessageHandler): Listening {
    if (this.closed) throw new ClosedError('Redis subscriber');
    let set = this.handlers.get(channel);
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    const ready = this.ensureSubscribed(channel);
    ready.catch(() => this.scheduleRetry());
    return {
      ready,
      close: () => {
        const s = this.handlers.get(channel);
        if (!s?.delete(handler) || s.size > 0) return;
        this.handlers.delete(channel);
        if (this.subscribed.delete(channel)) this.client.unsubscribe(channel).catch(() => undefined);
      },
    };
  }

  /** Ends the connection and stops reconnecting. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.handlers.clear();
    this.client.disconnect(false);
  }

  private async connect(): Promise<void> {
    if (this.client.status === 'ready') return;
    if (this.client.status === 'wait') await this.client.connect();
    else
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.client.off('ready', onReady);
          reject(new Error('the Redis subscriber is not connected'));
        }, 5000);
        const onReady = () => {
          clearTimeout(timer);
          resolve();
        };
        this.client.once('ready', onReady);
      });
  }

  private ensureSubscribed(channel: string): Promise<void> {
    if (this.closed) return Promise.reject(new ClosedError('Redis subscriber'));
    let p = this.subscribed.get(channel);
    if (!p) {
      const map = this.subscribed;
      p = this.connect()
        .then(() => this.client.subscribe(channel))
        .then(() => undefined)
        .catch((error: unknown) => {
          if (map.get(channel) === p) map.delete(channel);
          throw toStateproofError(error, 'subscribing to wake-ups');
        });
      map.set(channel, p);
    }
    return p;
  }

  private async resubscribe(): Promise<void> {
    if (this.closed) return;
    const reconnected = this.everReady;
    this.everReady = true;
    if (reconnected) this.held ??= [];
    const channels = [...this.handlers.keys()];
    let failed = false;
    try {
      await Promise.all(channels.map((c) => this.ensureSubscribed(c)));
    } catch {
      // The connection may stay up without another ready event: try again on a timer.
      failed = true;
    }
    if (reconnected) {
      this.reconnects++;
      for (const set of [...this.handlers.values()])
        for (const h of [...set]) {
          try {
            h(null);
          } catch {
            // A handler's failure is its own; the others still hear of the reconnection.
          }
        }
      const held = this.held ?? [];
      this.held = undefined;
      for (const [channel, message] of held) this.deliver(channel, message);
    }
    if (failed) this.scheduleRetry();
  }

  /**
   * SUBSCRIBEs again, after a short pause, to every channel still wanted, when one failed on a
   * connection that did not drop (so no ready event will come); handlers hear of it (null), since
   * messages may have been missed meanwhile.
   */
  private scheduleRetry(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.closed || this.client.status !== 'ready') return; // a reconnect resubscribes by itself
      const missing = [...this.handlers.keys()].filter((c) => !this.subscribed.has(c));
      Promise.all(missing.map((c) => this.ensureSubscribed(c))).then(
        () => {
          for (const c of missing)
            for (const h of [...(this.handlers.get(c) ?? [])]) {
              try {
                h(null);
              } catch {
                // A handler's failure is its own.
              }
            }
        },
        () => this.scheduleRetry(),
      );
    }, 200);
    this.retry.unref();
  }

  private deliver(channel: string, message: string): void {
    if (this.held) {
      this.held.push([channel, message]);
      return;
    }
    for (const h of [...(this.handlers.get(channel) ?? [])]) {
      try {
        h(message);
      } catch {
        // As above.
      }
    }
  }
}
