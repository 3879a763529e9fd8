import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import {
  selectorMatcher,
  createEventBuffer,
  createPump,
  deliverOrCount,
  type ChannelEvent,
  type ChannelSelector,
  type ChannelStore,
  type Subscription,
  type ChannelBinding,
} from '@stateproof/core/adapter-kit';
import type { StoreContext } from './store-context.js';

interface MessageRow {
  id: number;
  topic: string;
  message: string;
  publisher: string;
  seq: number;
}

/** Messages kept in the table for subscribers in other processes to read; older ones are deleted. */
const MESSAGES_KEPT = 10_000;
/** Messages a subscriber reads at once. */
const FETCH = 1000;

/**
 * Broadcast in SQLite (spec/contract/channel.md). A publish appends a row; subscribers in every
 * process on the host read the rows after the position they started at (woken at once in this
 * process, by polling in others), so each receives each message at most once and in publish order.
 * Rows are working storage, not persistence: only the newest ones are kept. A subscriber whose buffer
 * is full drops messages and counts them; one that fell behind the kept rows is told how many rows it
 * missed (an upper bound: some of them may have been for other topics or surfaces).
 */
export class SqliteChannelStore implements ChannelStore {
  readonly publisherId = `sqlite-${randomBytes(4).toString('hex')}`;
  private seq = 0;
  private readonly space: string;
  private readonly q: Record<'publish' | 'prune' | 'newest' | 'after', Database.Statement>;

  constructor(
    private readonly ctx: StoreContext,
    binding: ChannelBinding,
  ) {
    const t = ctx.tables.channel;
    this.space = binding.space;
    this.q = {
      publish: ctx.sql.get(`INSERT INTO ${t} (space, topic, message, publisher, seq) VALUES (?, ?, ?, ?, ?)`),
      prune: ctx.sql.get(`DELETE FROM ${t} WHERE id <= ?`),
      newest: ctx.sql.get(`SELECT coalesce(max(id), 0) AS id FROM ${t}`),
      after: ctx.sql.get(
        `SELECT id, topic, message, publisher, seq FROM ${t} WHERE space = ? AND id > ? ORDER BY id LIMIT ?`,
      ),
    };
  }

  async publish(topic: string, message: string): Promise<void> {
    const seq = ++this.seq;
    return this.ctx.exec.write(() => {
      const { lastInsertRowid } = this.q.publish.run(this.space, topic, message, this.publisherId, seq);
      const id = Number(lastInsertRowid);
      if (id % 500 === 0 && id > MESSAGES_KEPT) {
        this.q.prune.run(id - MESSAGES_KEPT);
        // Remember how far rows were deleted, so that a subscriber behind it learns it missed some.
        const pruned = id - MESSAGES_KEPT - this.ctx.counters.read('', 'channel-pruned');
        if (pruned > 0) this.ctx.counters.bump('', 'channel-pruned', pruned);
      }
      this.ctx.exec.markChanged();
    });
  }

  async subscribe(
    selector: ChannelSelector,
    options: { readonly bufferSize?: number } = {},
  ): Promise<Subscription<ChannelEvent>> {
    const matches = selectorMatcher(selector);
    // The subscription is live from the newest row at this instant: every later publish has a greater id.
    let last = await this.ctx.exec.read(() => (this.q.newest.get() as { id: number }).id);
    let stopListening = () => {};
    let untrack = () => {};
    const { subscription, sink } = createEventBuffer<ChannelEvent>({
      bufferSize: Math.max(2, options.bufferSize ?? 1024),
      onClose: () => {
        stopListening();
        untrack();
      },
    });
    // A full buffer drops the message and counts it; the count is announced before the next delivery.
    const listener = { sink, dropped: 0 };
    const step = async (): Promise<boolean> => {
      const { rows, pruned } = await this.ctx.exec.read(() => ({
        pruned: this.ctx.counters.read('', 'channel-pruned'),
        rows: this.q.after.all(this.space, last, FETCH) as MessageRow[],
      }));
      if (pruned > last) {
        listener.dropped += pruned - last;
        last = pruned;
      }
      for (const r of rows) {
        if (sink.closed) return false;
        last = r.id;
        if (matches(r.topic))
          deliverOrCount(listener, {
            type: 'message',
            topic: r.topic,
            message: r.message,
            publisher: r.publisher,
            seq: r.seq,
          });
      }
      return rows.length === FETCH;
    };
    const pump = createPump(step, () => !sink.closed && this.ctx.lifecycle.isOpen);
    stopListening = this.ctx.feed.listen(pump);
    untrack = this.ctx.lifecycle.track(() => subscription.close());
    return subscription;
  }
}
