import type { ChannelEvent } from '../adapter/channel-store.js';
import type { EventSink } from './event-buffer.js';

/** A channel subscriber as a publisher sees it: its buffer and the messages it has missed. */
export interface LaggingListener {
  readonly sink: EventSink<ChannelEvent>;
  /** Messages dropped since the last one delivered. */
  dropped: number;
}

/**
 * Hands one channel message to one subscriber, at most once and never blocking: a full buffer drops
 * it and counts, and the count is announced as a `lagged` event before the next message delivered
 * (spec/contract/channel.md, CHN-006). Shared by every adapter's channel.
 */
export function deliverOrCount(listener: LaggingListener, event: ChannelEvent): void {
  if (listener.dropped > 0) {
    if (!listener.sink.push({ type: 'lagged', dropped: listener.dropped })) {
      listener.dropped++;
      return;
    }
    listener.dropped = 0;
  }
  if (!listener.sink.push(event)) listener.dropped++;
}
