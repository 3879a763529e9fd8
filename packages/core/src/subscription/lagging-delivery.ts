import type { ChannelEvent } from '../adapter/channel-store.js';
import type { EventSink } from './event-buffer.js';

/** A channel subscriber as a publisher sees it: its buffer and the messages it has missed. */
export interface LaggingListener {
  /** The subscriber's buffer. */
  readonly sink: EventSink<ChannelEvent>;
  /** Messages dropped since the last one delivered. */
  dropped: number;
  /**
   * The connection to the backend came back after messages may have gone by, and the buffer had no
   * room to say so: a `lagged` event is owed before the next message (see {@link announceGap}).
   */
  gap?: boolean;
}

/**
 * Hands one channel message to one subscriber, at most once and never blocking: a full buffer drops
 * it and counts, and the count is announced as a `lagged` event before the next message delivered
 * (spec/contract/channel.md, CHN-006). Shared by every adapter's channel.
 */
export function deliverOrCount(listener: LaggingListener, event: ChannelEvent): void {
  if (listener.dropped > 0 || listener.gap) {
    if (!listener.sink.push({ type: 'lagged', dropped: listener.dropped })) {
      listener.dropped++;
      return;
    }
    listener.dropped = 0;
    listener.gap = false;
  }
  if (!listener.sink.push(event)) listener.dropped++;
}

/**
 * Tells one subscriber that its adapter's connection to the backend was lost and is back: what was
 * published meanwhile is gone, and nobody knows how much, so it gets a `lagged` event with
 * `dropped` 0 now (or, when its buffer is full, before its next message). Never silently deaf
 * (spec/contract/channel.md, CHN-014). Shared by every adapter whose channel rides a connection.
 */
export function announceGap(listener: LaggingListener): void {
  // Drops already counted are announced before the next message anyway; that covers the gap too.
  if (listener.dropped > 0) return;
  if (!listener.sink.push({ type: 'lagged', dropped: 0 })) listener.gap = true;
}
