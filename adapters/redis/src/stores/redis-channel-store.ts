import { randomBytes } from 'node:crypto';
import {
  BackendUnavailableError,
  createEventBuffer,
  announceGap,
  deliverOrCount,
  selectorMatcher,
  type ChannelEvent,
  type ChannelSelector,
  type ChannelStore,
  type LaggingListener,
  type Subscription,
} from '@stateproof/core/adapter-kit';
import type { Listening } from '../client/redis-subscriber.js';
import { toStateproofError } from '../client/redis-errors.js';
import type { RedisStoreContext } from './redis-store-context.js';

/**
 * On the wire, one JSON object per PUBLISH on the surface's channel: a message (`p` publisher, `s`
 * sequence, `t` topic, `m` the encoded message), or a subscription's sync mark (`y`), which only the
 * instance that sent it acts on.
 */
type Wire = { p: string; s: number; t: string; m: string } | { y: string };

/** The message or mark in a payload; undefined for anything else (the channel is ours, but a payload is not trusted). */
function parseWire(payload: string): Wire | undefined {
  let w: unknown;
  try {
    w = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof w !== 'object' || w === null) return undefined;
  const o = w as Record<string, unknown>;
  if (typeof o['y'] === 'string') return { y: o['y'] };
  if (
    typeof o['p'] === 'string' &&
    typeof o['s'] === 'number' &&
    typeof o['t'] === 'string' &&
    typeof o['m'] === 'string'
  )
    return { p: o['p'], s: o['s'], t: o['t'], m: o['m'] };
  return undefined;
}

/** One subscription of a channel store: its selector, its buffer, and where it stands. */
export interface ChannelListener extends LaggingListener {
  readonly matches: (topic: string) => boolean;
  /** Its sync mark: it receives only what arrives after the mark came back (see sync). */
  readonly mark: string;
  /** Wakes the subscribe waiting for the mark. */
  onMark: (() => void) | undefined;
  /** False until its mark came back. */
  active: boolean;
}

/** How long a subscriber waits for its sync mark before sending it again. */
const MARK_RESEND_MS = 500;

/**
 * Broadcast over Redis pub/sub (spec/contract/channel.md). A surface has one Redis channel
 * (`keys.fixed('channel')`); the topic travels inside the message and subscriptions match it on
 * the client with core's selector, so no user text ever reaches PSUBSCRIBE or a pattern. Every
 * adapter instance receives the surface's messages on its one pub/sub connection and fans them out
 * to its subscribers, each with a bounded buffer (a full one drops and announces `lagged`).
 *
 * At most once: a PUBLISH is a plain command, not a script, so it is never stored and never sent
 * twice; one whose reply was lost fails with the retryable STATEPROOF_BACKEND_UNAVAILABLE (it may
 * have been delivered). One publisher's messages are handed to the connection in call order, and
 * Redis delivers in the order it ran them, so each subscriber sees them in publish order. When the
 * pub/sub connection drops, what was published meanwhile is gone: after it is back every subscriber
 * gets a `lagged` event (with `dropped` 0, since Redis cannot say how many went by).
 */
export class RedisChannelStore implements ChannelStore {
  readonly publisherId = `redis-${randomBytes(6).toString('hex')}`;
  private seq = 0;
  /** Resolves when the previous publish was handed to the connection (not when it was answered). */
  private handedOver: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<ChannelListener>();
  private listening: Listening | undefined;
  private readonly channel: string;
  private readonly onPayload = (payload: string | null): void => this.receive(payload);

  constructor(private readonly ctx: RedisStoreContext) {
    this.channel = ctx.keys.fixed('channel');
  }

  async publish(topic: string, message: string): Promise<void> {
    const payload = JSON.stringify({ p: this.publisherId, s: ++this.seq, t: topic, m: message } satisfies Wire);
    // In call order: each waits until the previous one is on the connection, then goes itself
    // without waiting for the reply, so publishes pipeline and keep their order.
    const sent = this.handedOver.then(() => this.send(payload));
    this.handedOver = sent.then(
      () => undefined,
      () => undefined,
    );
    const reply = await sent;
    try {
      await reply.promise;
    } catch (error) {
      throw toStateproofError(error, 'publishing');
    }
  }

  /** Waits for the command connection, then hands the PUBLISH to it; resolves with its reply. */
  private async send(payload: string): Promise<{ promise: Promise<unknown> }> {
    const c = this.ctx.connection;
    if (c.client.status !== 'ready') await c.ready();
    return { promise: c.client.publish(this.channel, payload) };
  }

  private receive(payload: string | null): void {
    if (payload === null) {
      for (const l of this.listeners) if (l.active) this.announceGap(l);
      return;
    }
    const wire = parseWire(payload);
    if (!wire) return;
    if ('y' in wire) {
      // The listener is live from here on, in the connection's order of messages.
      for (const l of this.listeners)
        if (l.mark === wire.y) {
          l.active = true;
          l.onMark?.();
        }
      return;
    }
    const event: ChannelEvent = { type: 'message', topic: wire.t, message: wire.m, publisher: wire.p, seq: wire.s };
    for (const l of this.listeners) if (l.active && l.matches(wire.t)) deliverOrCount(l, event);
  }

  /**
   * After the pub/sub connection came back: tell the subscriber that messages may have gone by
   * (core's announceGap). Protected as the seam of the kit's mutant that forgets it.
   */
  protected announceGap(l: ChannelListener): void {
    announceGap(l);
  }

  async subscribe(
    selector: ChannelSelector,
    options: { readonly bufferSize?: number } = {},
  ): Promise<Subscription<ChannelEvent>> {
    const matches = selectorMatcher(selector);
    let listener: ChannelListener | undefined;
    let untrack = () => {};
    const { subscription, sink } = createEventBuffer<ChannelEvent>({
      bufferSize: Math.max(2, options.bufferSize ?? 1024),
      onClose: () => {
        if (listener) {
          listener.onMark?.();
          this.listeners.delete(listener);
        }
        if (this.listeners.size === 0 && this.listening) {
          this.listening.close();
          this.listening = undefined;
        }
        untrack();
      },
    });
    listener = {
      matches,
      sink,
      dropped: 0,
      mark: randomBytes(9).toString('base64url'),
      onMark: undefined,
      active: false,
    };
    this.listeners.add(listener);
    untrack = this.ctx.lifecycle.track(() => subscription.close());
    try {
      // Idempotent per handler: it (re)issues SUBSCRIBE when the channel is not subscribed yet.
      this.listening = this.ctx.subscriber.listen(this.channel, this.onPayload);
      await this.listening.ready;
      await this.sync(listener, subscription);
    } catch (error) {
      await subscription.close();
      throw toStateproofError(error, 'subscribing');
    }
    return subscription;
  }

  /**
   * Makes the listener live: it publishes the listener's mark on the channel and waits until the
   * pub/sub connection delivers it. What arrives before the mark was published before the
   * subscription was live, possibly before `subscribe` was called (a message still in flight to a
   * channel the instance already listened to), and is not delivered to it; everything published
   * after `subscribe` resolves arrives after the mark. A mark lost to a reconnection is sent again.
   */
  private async sync(listener: ChannelListener, subscription: Subscription<ChannelEvent>): Promise<void> {
    const deadline = Date.now() + this.ctx.connection.settings.connectTimeoutMs;
    const mark = JSON.stringify({ y: listener.mark } satisfies Wire);
    while (!listener.active) {
      this.ctx.lifecycle.assertOpen();
      if (subscription.closed) throw new BackendUnavailableError('the subscription closed while it was opening');
      if (Date.now() >= deadline)
        throw new BackendUnavailableError(
          'subscribing to a channel: the pub/sub connection did not confirm the subscription in time',
          { hint: 'Check that the server is running and reachable, then retry.' },
        );
      let timer: NodeJS.Timeout | undefined;
      const back = new Promise<void>((resolve) => {
        listener.onMark = resolve;
        timer = setTimeout(resolve, MARK_RESEND_MS);
      });
      try {
        await (
          await this.send(mark)
        ).promise;
        await back;
      } finally {
        clearTimeout(timer);
        listener.onMark = undefined;
      }
    }
  }
}
