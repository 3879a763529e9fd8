import {
  selectorMatcher,
  createEventBuffer,
  deliverOrCount,
  type ChannelEvent,
  type ChannelSelector,
  type ChannelStore,
  type LaggingListener,
  type Subscription,
  type AdapterLifecycle,
} from '@stateproof/core/adapter-kit';

interface Listener extends LaggingListener {
  readonly matches: (topic: string) => boolean;
}

/** The shared state of one channel surface: its live listeners, across every adapter on the backend. */
export interface ChannelSpace {
  readonly listeners: Set<Listener>;
}

/** A new channel space. */
export function newChannelSpace(): ChannelSpace {
  return { listeners: new Set() };
}

/** Broadcast in memory (spec/contract/channel.md): at-most-once, per-publisher order, nothing kept. */
export class MemoryChannelStore implements ChannelStore {
  private seq = 0;

  constructor(
    protected readonly space: ChannelSpace,
    readonly publisherId: string,
    protected readonly lifecycle: AdapterLifecycle,
  ) {}

  /** Hands one message to one listener (see deliverOrCount); subclasses (mutants) hook in here. */
  protected deliver(l: Listener, event: ChannelEvent): void {
    deliverOrCount(l, event);
  }

  async publish(topic: string, message: string): Promise<void> {
    const event: ChannelEvent = { type: 'message', topic, message, publisher: this.publisherId, seq: ++this.seq };
    for (const l of this.space.listeners) if (l.matches(topic)) this.deliver(l, event);
  }

  async subscribe(
    selector: ChannelSelector,
    options: { readonly bufferSize?: number } = {},
  ): Promise<Subscription<ChannelEvent>> {
    const matches = selectorMatcher(selector);
    let listener: Listener | undefined;
    let untrack = () => {};
    const { subscription, sink } = createEventBuffer<ChannelEvent>({
      bufferSize: Math.max(2, options.bufferSize ?? 1024),
      onClose: () => {
        if (listener) this.space.listeners.delete(listener);
        untrack();
      },
    });
    listener = { matches, sink, dropped: 0 };
    this.space.listeners.add(listener);
    untrack = this.lifecycle.track(() => subscription.close());
    return subscription;
  }
}
