import { randomUUID } from 'node:crypto';
import {
  announceGap,
  selectorMatcher,
  createEventBuffer,
  deliverOrCount,
  type AdapterLifecycle,
  type ChannelEvent,
  type ChannelSelector,
  type ChannelStore,
  type LaggingListener,
  type Subscription,
} from '@stateproof/core/adapter-kit';
import { NOW } from '../db/server-time.js';
import type { Listening } from '../notify/pg-listener.js';
import type { PgStoreContext } from './pg-store-context.js';

/** How a channel store reaches the rest of the adapter. */
export interface PgChannelContext extends PgStoreContext {
  readonly lifecycle: AdapterLifecycle;
}

/** A NOTIFY payload must be shorter than 8000 bytes; larger messages travel through a table. */
const NOTIFY_LIMIT = 7900;
/** How long an oversized message waits in the table for subscribers to fetch it. */
const PAYLOAD_TTL_MS = 60_000;

/** On the wire: a message inline, or a reference to the payload table (topic kept, so a failed fetch still counts as a drop for the right subscribers). */
type Wire = { p: string; s: number; t: string; m: string } | { p: string; s: number; t: string; r: string };

interface Listener extends LaggingListener {
  readonly matches: (topic: string) => boolean;
  /** False until the subscription is live: what arrives before was committed before it. */
  active: boolean;
}

/**
 * Broadcast over LISTEN/NOTIFY (spec/contract/channel.md). A message is a NOTIFY on the surface's
 * channel, delivered at commit to every adapter instance listening on the database; each instance
 * fans it out to its subscribers. Messages over NOTIFY's size limit are stored in a table and the
 * notification carries their id. One publisher's messages are sent one after another, so they
 * commit, and arrive, in publish order. At most once: nothing is replayed, a subscriber whose
 * buffer is full is told how many it missed, and one whose LISTEN connection was lost is told
 * (`lagged`, count unknown) once it is back.
 */
export class PgChannelStore implements ChannelStore {
  readonly publisherId = `pg-${randomUUID().slice(0, 8)}`;
  private seq = 0;
  private sending: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<Listener>();
  private listening: Listening | undefined;
  /** Incoming notifications are handled in arrival order, even when one needs a fetch. */
  private inbox: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: PgChannelContext) {}

  async publish(topic: string, message: string): Promise<void> {
    const seq = ++this.seq;
    const send = this.sending.then(() => this.send(topic, message, seq));
    this.sending = send.catch(() => undefined);
    await send;
  }

  private async send(topic: string, message: string, seq: number): Promise<void> {
    const channel = await this.ctx.channel();
    const inline = JSON.stringify({ p: this.publisherId, s: seq, t: topic, m: message } satisfies Wire);
    if (Buffer.byteLength(inline, 'utf8') <= NOTIFY_LIMIT) {
      await this.ctx.db.query('publishing', 'select pg_notify($1, $2)', [channel, inline]);
      return;
    }
    await this.ctx.db.query(
      'publishing',
      `with ins as (insert into ${this.ctx.s}.channel_payloads (created_at, body) values (${NOW}, $2) returning id),
       gc as (delete from ${this.ctx.s}.channel_payloads where created_at < ${NOW} - $4::bigint)
       select pg_notify($1, json_build_object('p', $3::json -> 'p', 's', $3::json -> 's', 't', $3::json -> 't', 'r', (select id from ins)::text)::text) from ins`,
      [channel, message, JSON.stringify({ p: this.publisherId, s: seq, t: topic }), PAYLOAD_TTL_MS],
    );
  }

  private receive(payload: string | null): void {
    if (this.listeners.size === 0) return;
    if (payload === null) {
      // The LISTEN connection came back: what was sent meanwhile is gone (at most once), and every
      // live subscriber is told so, after what arrived before the drop (in the inbox's order).
      const live = [...this.listeners].filter((l) => l.active);
      this.inbox = this.inbox.then(() => live.forEach(announceGap));
      return;
    }
    let wire: Wire;
    try {
      wire = JSON.parse(payload) as Wire;
    } catch {
      return;
    }
    // Chosen on arrival, not when the queue gets to it: a subscription that went live after this
    // notification arrived must not receive it.
    const targets = [...this.listeners].filter((l) => l.active && l.matches(wire.t));
    if (targets.length === 0) return;
    this.inbox = this.inbox.then(async () => {
      let message: string | undefined = 'm' in wire ? wire.m : undefined;
      if (message === undefined && 'r' in wire) {
        const rows = await this.ctx.db
          .query(
            'fetching a channel message',
            `select body from ${this.ctx.s}.channel_payloads where id = $1`,
            [wire.r],
            { idempotent: true },
          )
          .catch(() => []);
        message = rows[0]?.['body'] as string | undefined;
      }
      for (const l of targets) {
        if (message === undefined) l.dropped++;
        else deliverOrCount(l, { type: 'message', topic: wire.t, message, publisher: wire.p, seq: wire.s });
      }
    });
  }

  async subscribe(
    selector: ChannelSelector,
    options: { readonly bufferSize?: number } = {},
  ): Promise<Subscription<ChannelEvent>> {
    const channel = await this.ctx.channel();
    const matches = selectorMatcher(selector);
    let listener: Listener | undefined;
    let untrack = () => {};
    const { subscription, sink } = createEventBuffer<ChannelEvent>({
      bufferSize: Math.max(2, options.bufferSize ?? 1024),
      onClose: () => {
        if (listener) this.listeners.delete(listener);
        if (this.listeners.size === 0 && this.listening) {
          this.listening.close();
          this.listening = undefined;
        }
        untrack();
      },
    });
    listener = { matches, sink, dropped: 0, active: false };
    this.listeners.add(listener);
    this.listening ??= this.ctx.listener.listen(channel, (payload) => this.receive(payload));
    try {
      // Live only once LISTEN is active: a message published after this resolves reaches it.
      await this.ctx.listener.ready(channel);
      await this.ctx.listener.sync();
      listener.active = true;
    } catch (error) {
      await subscription.close();
      throw error;
    }
    untrack = this.ctx.lifecycle.track(() => subscription.close());
    return subscription;
  }
}
