import type { Subscription } from '../subscription/subscription.js';

/** Topic selection of a channel subscription. Pattern: `*` any run, `?` one character, `\` escapes. */
export type ChannelSelector =
  | {
      /** One topic, exactly. */
      readonly topic: string;
    }
  | {
      /** Every topic the pattern matches. */
      readonly pattern: string;
    };

/** What a channel subscription yields. */
export type ChannelEvent =
  | {
      /** A published message. */
      readonly type: 'message';
      /** The topic it was published on. */
      readonly topic: string;
      /** Encoded message. */
      readonly message: string;
      /** Identity of the publishing store instance. */
      readonly publisher: string;
      /** Per-publisher sequence, increasing in publish order. */
      readonly seq: number;
    }
  /**
   * The subscriber missed messages: `dropped` of them when its buffer overflowed, or an unknown
   * number (`dropped` 0) when its adapter's connection to the backend was lost and came back, since
   * what was published meanwhile is gone (at-most-once).
   */
  | {
      /** Messages were missed. */
      readonly type: 'lagged';
      /** How many, or 0 when the number is unknown. */
      readonly dropped: number;
    };

/**
 * Broadcast backplane (spec/contract/channel.md): at-most-once, per-publisher order, delivered to
 * every live subscriber on every replica sharing the backend; nothing is persisted.
 */
export interface ChannelStore {
  /** Identity of this store instance as a publisher. */
  readonly publisherId: string;
  /**
   * Sends an encoded message to every live subscriber whose selector matches `topic`; resolves once the backend took
   * it.
   */
  publish(topic: string, message: string): Promise<void>;
  /** Resolves once the subscription is live: every message published after that reaches it (unless it lags). */
  subscribe(selector: ChannelSelector, options?: { readonly bufferSize?: number }): Promise<Subscription<ChannelEvent>>;
}
