import type { ChannelEvent, ChannelSelector, ChannelStore } from '../adapter/channel-store.js';
import type { Subscription } from '../subscription/subscription.js';
import type { StoreGuard } from './store-guard.js';

/** A channel store behind core's guard: refused once closed; pattern subscriptions only when claimed. */
export class GuardedChannelStore implements ChannelStore {
  constructor(
    private readonly store: ChannelStore,
    private readonly guard: StoreGuard,
  ) {}

  get publisherId(): string {
    return this.store.publisherId;
  }

  async publish(topic: string, message: string): Promise<void> {
    this.guard.open();
    return this.store.publish(topic, message);
  }

  async subscribe(
    selector: ChannelSelector,
    options?: { readonly bufferSize?: number },
  ): Promise<Subscription<ChannelEvent>> {
    this.guard.open();
    if ('pattern' in selector) this.guard.need('patterns', 'pattern subscriptions');
    return this.store.subscribe(selector, options);
  }
}
