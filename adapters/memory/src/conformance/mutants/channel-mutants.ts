import { randomUUID } from 'node:crypto';
import { MemoryChannelStore, newChannelSpace, type ChannelSpace } from '../../memory-channel-store.js';
import {
  compileGlob,
  createEventBuffer,
  type ChannelEvent,
  type ChannelSelector,
  type ChannelStore,
  type Subscription,
  type ChannelBinding,
} from '@stateproof/core/adapter-kit';
import type { Mutant } from '@stateproof/conformance';
import { MemoryAdapter } from '../../memory-adapter.js';
import { mutantTarget, type MutantAdapterClass } from './mutant-target.js';

type Listener = ChannelSpace['listeners'] extends Set<infer L> ? L : never;
type StoreClass = new (...args: ConstructorParameters<typeof MemoryChannelStore>) => MemoryChannelStore;

/** The memory adapter with its channel store replaced by `Store`. */
export function withChannelStore(Store: StoreClass): MutantAdapterClass {
  return class extends MemoryAdapter {
    override async openChannel(binding: ChannelBinding): Promise<ChannelStore> {
      this.lifecycle.assertOpen();
      return new Store(
        this.ns.space('channel', binding.space, newChannelSpace),
        `memory-${randomUUID().slice(0, 8)}`,
        this.lifecycle,
      );
    }
  };
}

/**
 * The memory store's subscribe with the topic matcher and the listener bookkeeping open to change:
 * what a broken adapter gets wrong is usually one of those.
 */
export class OpenChannelStore extends MemoryChannelStore {
  /** How a selector becomes a topic test. */
  protected matcher(selector: ChannelSelector): (topic: string) => boolean {
    return 'topic' in selector ? (t) => t === selector.topic : compileGlob(selector.pattern);
  }

  /** Puts a new listener into the space, where publishes find it. */
  protected attach(listener: Listener): void {
    this.space.listeners.add(listener);
  }

  /** A new listener joined the space (before the subscription is returned). */
  protected added(_listener: Listener, _selector: ChannelSelector): void {}

  /** A listener's subscription closed. */
  protected removed(listener: Listener, _selector: ChannelSelector): void {
    this.space.listeners.delete(listener);
  }

  override async subscribe(
    selector: ChannelSelector,
    options: { readonly bufferSize?: number } = {},
  ): Promise<Subscription<ChannelEvent>> {
    this.lifecycle.assertOpen();
    let listener: Listener | undefined;
    let untrack = () => {};
    const { subscription, sink } = createEventBuffer<ChannelEvent>({
      bufferSize: Math.max(2, options.bufferSize ?? 1024),
      onClose: () => {
        if (listener) this.removed(listener, selector);
        untrack();
      },
    });
    listener = { matches: this.matcher(selector), sink, dropped: 0 };
    this.attach(listener);
    this.added(listener, selector);
    untrack = this.lifecycle.track(() => subscription.close());
    return subscription;
  }
}

/** Fan-out through an in-process emitter: each adapter instance has its own listeners, so other replicas hear nothing. */
function localOnlyAdapter() {
  return class extends MemoryAdapter {
    private readonly local = new Map<string, ChannelSpace>();
    override async openChannel(binding: ChannelBinding): Promise<ChannelStore> {
      this.lifecycle.assertOpen();
      let space = this.local.get(binding.space);
      if (!space) this.local.set(binding.space, (space = newChannelSpace()));
      return new MemoryChannelStore(space, `memory-${randomUUID().slice(0, 8)}`, this.lifecycle);
    }
  };
}

/** Publishes are coalesced per topic and flushed topic by topic, so one publisher's messages to different topics overtake each other. */
class TopicBatchedFlush extends MemoryChannelStore {
  private counter = 0;
  private readonly batches = new Map<string, ChannelEvent[]>();
  override async publish(topic: string, message: string): Promise<void> {
    this.lifecycle.assertOpen();
    const event: ChannelEvent = { type: 'message', topic, message, publisher: this.publisherId, seq: ++this.counter };
    if (this.batches.size === 0) setImmediate(() => this.flush());
    const batch = this.batches.get(topic) ?? [];
    batch.push(event);
    this.batches.set(topic, batch);
  }
  private flush(): void {
    for (const [topic, events] of this.batches)
      for (const e of events) for (const l of this.space.listeners) if (l.matches(topic)) this.deliver(l, e);
    this.batches.clear();
  }
}

/** The sequence is counted per topic (as a per-topic stream id would be), so it does not increase in publish order. */
class SeqPerTopic extends MemoryChannelStore {
  private readonly counters = new Map<string, number>();
  override async publish(topic: string, message: string): Promise<void> {
    this.lifecycle.assertOpen();
    const seq = (this.counters.get(topic) ?? 0) + 1;
    this.counters.set(topic, seq);
    const event: ChannelEvent = { type: 'message', topic, message, publisher: this.publisherId, seq };
    for (const l of this.space.listeners) if (l.matches(topic)) this.deliver(l, event);
  }
}

/** A full buffer drops the message and forgets it: no `lagged` event ever says so. */
class SilentLag extends MemoryChannelStore {
  protected override deliver(l: Listener, event: ChannelEvent): void {
    l.sink.push(event);
  }
}

/** A lag is announced, but always as a single dropped message, whatever was lost. */
class LagCountsOne extends MemoryChannelStore {
  protected override deliver(l: Listener, event: ChannelEvent): void {
    if (l.dropped > 0) {
      if (!l.sink.push({ type: 'lagged', dropped: 1 })) return;
      l.dropped = 0;
    }
    if (!l.sink.push(event)) l.dropped++;
  }
}

/** A pattern is turned into a regular expression by replacing `*` and `?` only: `.`, `[`, `\` and the rest keep their regex meaning. */
class PatternAsRegex extends OpenChannelStore {
  protected override matcher(selector: ChannelSelector): (topic: string) => boolean {
    if ('topic' in selector) return super.matcher(selector);
    const re = new RegExp(`^${selector.pattern.replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    return (t) => re.test(t);
  }
}

/** An exact topic is subscribed through the pattern matcher without escaping, so `room*` also hears `room:1`. */
class TopicAsPattern extends OpenChannelStore {
  protected override matcher(selector: ChannelSelector): (topic: string) => boolean {
    return compileGlob('topic' in selector ? selector.topic : selector.pattern);
  }
}

/** Closing one subscription unsubscribes its topic for the whole adapter instance, leaving other local subscribers of it deaf. */
class CloseUnsubscribesTopic extends OpenChannelStore {
  private readonly byKey = new Map<string, Set<Listener>>();
  protected override added(listener: Listener, selector: ChannelSelector): void {
    const key = JSON.stringify(selector);
    const set = this.byKey.get(key) ?? new Set();
    set.add(listener);
    this.byKey.set(key, set);
  }
  protected override removed(_listener: Listener, selector: ChannelSelector): void {
    const key = JSON.stringify(selector);
    for (const l of this.byKey.get(key) ?? []) this.space.listeners.delete(l);
    this.byKey.delete(key);
  }
}

const retained = new WeakMap<ChannelSpace, ChannelEvent[]>();

/** The channel keeps its last messages, and a new subscriber gets those of its topics first (a retained buffer replayed). */
class ReplaysRecent extends OpenChannelStore {
  private counter = 0;
  override async publish(topic: string, message: string): Promise<void> {
    this.lifecycle.assertOpen();
    const event: ChannelEvent = { type: 'message', topic, message, publisher: this.publisherId, seq: ++this.counter };
    for (const l of this.space.listeners) if (l.matches(topic)) this.deliver(l, event);
    retained.set(this.space, [...(retained.get(this.space) ?? []), event].slice(-16));
  }
  protected override added(listener: Listener): void {
    for (const e of retained.get(this.space) ?? [])
      if (e.type === 'message' && listener.matches(e.topic)) listener.sink.push(e);
  }
}

/** `subscribe` resolves before the backend has the subscription (as a LISTEN not yet acknowledged): what is published right after is missed. */
class SubscribeResolvesEarly extends OpenChannelStore {
  protected override attach(listener: Listener): void {
    setImmediate(() => {
      if (!listener.sink.closed) super.attach(listener);
    });
  }
}

/** Every publisher of one process takes the process's identity (host and pid), while each counts its own sequence. */
function publisherPerProcessAdapter() {
  return class extends MemoryAdapter {
    override async openChannel(binding: ChannelBinding): Promise<ChannelStore> {
      this.lifecycle.assertOpen();
      return new MemoryChannelStore(
        this.ns.space('channel', binding.space, newChannelSpace),
        `memory-${process.pid}`,
        this.lifecycle,
      );
    }
  };
}

const owners = new WeakMap<Listener, { readonly store: object; readonly key: string }>();

/**
 * Fan-out per server-side subscription: an instance holding several subscriptions whose selectors
 * match a topic (an exact one and a pattern, say) gets the message once per subscription from the
 * server, and hands each copy to every matching local subscriber.
 */
class CopyPerServerSubscription extends OpenChannelStore {
  private counter = 0;
  protected override added(listener: Listener, selector: ChannelSelector): void {
    owners.set(listener, { store: this, key: JSON.stringify(selector) });
  }
  override async publish(topic: string, message: string): Promise<void> {
    this.lifecycle.assertOpen();
    const event: ChannelEvent = { type: 'message', topic, message, publisher: this.publisherId, seq: ++this.counter };
    const matching = [...this.space.listeners].filter((l) => l.matches(topic));
    for (const l of matching) {
      const store = owners.get(l)?.store;
      const copies = new Set(matching.filter((m) => owners.get(m)?.store === store).map((m) => owners.get(m)?.key))
        .size;
      for (let i = 0; i < copies; i++) this.deliver(l, event);
    }
  }
}

/** The channel mutants. */
export const CHANNEL_MUTANTS: readonly Mutant[] = [
  {
    name: 'channel-local-delivery-only',
    kind: 'channel',
    bug: 'messages reach only subscribers on the publishing instance, not other replicas on the backend',
    breaks: ['CHN-001'],
    target: () => mutantTarget('channel-local-delivery-only', localOnlyAdapter()),
  },
  {
    name: 'channel-topic-batched-reorder',
    kind: 'channel',
    bug: "publishes are flushed topic by topic, so one publisher's messages to different topics overtake each other",
    breaks: ['CHN-004'],
    target: () => mutantTarget('channel-topic-batched-reorder', withChannelStore(TopicBatchedFlush)),
  },
  {
    name: 'channel-seq-per-topic',
    kind: 'channel',
    bug: 'the sequence is counted per topic and does not increase in publish order',
    breaks: ['CHN-004'],
    target: () => mutantTarget('channel-seq-per-topic', withChannelStore(SeqPerTopic)),
  },
  {
    name: 'channel-silent-lag',
    kind: 'channel',
    bug: 'a full subscriber buffer drops messages without a lagged event',
    breaks: ['CHN-006'],
    target: () => mutantTarget('channel-silent-lag', withChannelStore(SilentLag)),
  },
  {
    name: 'channel-lag-counts-one',
    kind: 'channel',
    bug: 'a lag is announced as one dropped message whatever the number lost',
    breaks: ['CHN-006'],
    target: () => mutantTarget('channel-lag-counts-one', withChannelStore(LagCountsOne)),
  },
  {
    name: 'channel-pattern-as-regex',
    kind: 'channel',
    bug: 'a pattern becomes a regular expression with only * and ? translated, so ., [ and \\ keep their regex meaning',
    breaks: ['CHN-005'],
    target: () => mutantTarget('channel-pattern-as-regex', withChannelStore(PatternAsRegex)),
  },
  {
    name: 'channel-topic-as-pattern',
    kind: 'channel',
    bug: 'an exact topic is matched as an unescaped pattern, so a subscriber of room* hears room:1',
    breaks: ['CHN-005', 'CHN-012'],
    target: () => mutantTarget('channel-topic-as-pattern', withChannelStore(TopicAsPattern)),
  },
  {
    name: 'channel-close-unsubscribes-topic',
    kind: 'channel',
    bug: 'closing one subscription unsubscribes its topic on the instance, leaving other subscribers of it deaf',
    breaks: ['CHN-007'],
    target: () => mutantTarget('channel-close-unsubscribes-topic', withChannelStore(CloseUnsubscribesTopic)),
  },
  {
    name: 'channel-subscribe-resolves-early',
    kind: 'channel',
    bug: 'subscribe resolves before the subscription is in place, so a message published right after it is missed',
    breaks: ['CHN-001'],
    target: () => mutantTarget('channel-subscribe-resolves-early', withChannelStore(SubscribeResolvesEarly)),
  },
  {
    name: 'channel-publisher-id-per-process',
    kind: 'channel',
    bug: 'every publisher in one process shares the identity host:pid while counting its own sequence',
    breaks: ['CHN-004'],
    target: () => mutantTarget('channel-publisher-id-per-process', publisherPerProcessAdapter()),
  },
  {
    name: 'channel-copy-per-server-subscription',
    kind: 'channel',
    bug: 'an instance with an exact and a pattern subscription matching a topic hands every subscriber one copy per server-side subscription',
    breaks: ['CHN-002'],
    target: () => mutantTarget('channel-copy-per-server-subscription', withChannelStore(CopyPerServerSubscription)),
  },
  {
    name: 'channel-replays-recent',
    kind: 'channel',
    bug: 'a new subscriber first receives the last messages the channel retained',
    breaks: ['CHN-003'],
    target: () => mutantTarget('channel-replays-recent', withChannelStore(ReplaysRecent)),
  },
];
