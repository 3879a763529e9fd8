import type { ChannelSpace } from '../../memory-channel-store.js';
import { MemoryDataspaceStore, type DataspaceSpace } from '../../memory-dataspace-store.js';
import { MemoryLogStore } from '../../memory-log-store.js';
import {
  deliverOrCount,
  type ChannelEvent,
  type ChannelSelector,
  type DataspaceEvent,
  type DataspaceFilter,
  type LogEvent,
  type Subscription,
} from '@stateproof/core/adapter-kit';
import type { Mutant } from '@stateproof/conformance';
import { OpenChannelStore, withChannelStore } from './channel-mutants.js';
import { withDataspaceStore } from './dataspace-mutants.js';
import { withLogStore } from './log-mutants.js';
import { mutantTarget } from './mutant-target.js';

// These mutants read the shared state whenever their consumer asks, as a subscription that queries
// its backend on each read does, but are woken only by writes made through their own adapter
// instance (an in-process emitter standing in for the backend's NOTIFY or change feed). Read after
// the write, they see everything; a subscriber already waiting when another instance writes is never
// woken. Only a property that parks subscribers before other instances write catches them.

/** `sub` with `beforeRead` run at the start of every `next()`: the read on demand. */
function readingOnDemand<E>(sub: Subscription<E>, beforeRead: () => void): Subscription<E> {
  const wrapped: Subscription<E> = {
    next() {
      beforeRead();
      return sub.next();
    },
    async return() {
      await sub.close();
      return { value: undefined, done: true };
    },
    close: () => sub.close(),
    get closed() {
      return sub.closed;
    },
    [Symbol.asyncIterator]() {
      return wrapped;
    },
  };
  return wrapped;
}

/** A log tail whose wake-up is registered with its own instance: it fetches on every read, but sleeps through other instances' appends. */
class OwnAppendsWakeTail extends MemoryLogStore {
  private readonly wakes = new Map<string, Set<() => void>>();

  override async append(stream: string, values: readonly string[]): Promise<number[]> {
    const seqs = await super.append(stream, values);
    for (const wake of [...(this.wakes.get(stream) ?? [])]) wake();
    return seqs;
  }

  override async subscribe(stream: string, options: { readonly after: number }): Promise<Subscription<LogEvent>> {
    // The honest tail registers its wake-up on the shared stream; move it to this instance.
    const { waiters } = this.stream(stream);
    const before = new Set(waiters);
    const sub = await super.subscribe(stream, options);
    const mine = this.wakes.get(stream) ?? new Set();
    this.wakes.set(stream, mine);
    for (const wake of [...waiters].filter((w) => !before.has(w))) {
      waiters.delete(wake);
      mine.add(wake);
    }
    return sub;
  }
}

type DataspaceSubscriber = DataspaceSpace['subscribers'] extends Set<infer S> ? S : never;

/** Changes waiting for a subscriber until it reads, or until its own instance changes something. */
const unread = new WeakMap<DataspaceSubscriber, DataspaceEvent[]>();

/** A dataspace subscription that reads the change feed when asked, woken only by its own instance's changes. */
class OwnChangesWakeDataspace extends MemoryDataspaceStore {
  private readonly mine = new Set<DataspaceSubscriber>();

  /** Hands `s` what waits for it; one that lags gets a resync and a fresh snapshot, as the honest store does. */
  private catchUp(s: DataspaceSubscriber): void {
    const events = unread.get(s) ?? [];
    unread.delete(s);
    for (const event of events)
      if (!s.sink.push(event)) {
        s.sink.replace([{ type: 'resync', reason: 'lagged' }, this.snapshot(s.filter, s.matches)]);
        return;
      }
  }

  protected override emit(id: string, event: DataspaceEvent): void {
    for (const s of this.space.subscribers) {
      if (!s.matches(id)) continue;
      unread.set(s, [...(unread.get(s) ?? []), event]);
      if (this.mine.has(s)) this.catchUp(s);
    }
  }

  override async subscribe(
    filter: DataspaceFilter,
    options: { readonly bufferSize?: number } = {},
  ): Promise<Subscription<DataspaceEvent>> {
    const before = new Set(this.space.subscribers);
    const sub = await super.subscribe(filter, options);
    const s = [...this.space.subscribers].find((x) => !before.has(x)) as DataspaceSubscriber;
    this.mine.add(s);
    return readingOnDemand(sub, () => this.catchUp(s));
  }
}

type ChannelListener = ChannelSpace['listeners'] extends Set<infer L> ? L : never;

/** Messages waiting for a listener until it reads, or until its own instance publishes. */
const pending = new WeakMap<ChannelListener, ChannelEvent[]>();

/** A channel subscription that reads the message table when asked, woken only by its own instance's publishes. */
class OwnPublishesWakeChannel extends OpenChannelStore {
  private readonly mine = new Set<ChannelListener>();
  private lastAdded: ChannelListener | undefined;

  private catchUp(l: ChannelListener): void {
    const events = pending.get(l) ?? [];
    pending.delete(l);
    for (const event of events) deliverOrCount(l, event);
  }

  protected override deliver(l: ChannelListener, event: ChannelEvent): void {
    pending.set(l, [...(pending.get(l) ?? []), event]);
    if (this.mine.has(l)) this.catchUp(l);
  }

  protected override added(listener: ChannelListener): void {
    this.mine.add(listener);
    this.lastAdded = listener;
  }

  protected override removed(listener: ChannelListener, selector: ChannelSelector): void {
    this.mine.delete(listener);
    super.removed(listener, selector);
  }

  override async subscribe(
    selector: ChannelSelector,
    options: { readonly bufferSize?: number } = {},
  ): Promise<Subscription<ChannelEvent>> {
    const sub = await super.subscribe(selector, options);
    const l = this.lastAdded as ChannelListener;
    return readingOnDemand(sub, () => this.catchUp(l));
  }
}

/** Subscriptions that other instances' writes never wake. */
export const CROSS_INSTANCE_MUTANTS: readonly Mutant[] = [
  {
    name: 'log-tail-woken-by-own-appends-only',
    kind: 'log',
    bug: "a log tail reads the stream when asked but is only woken by its own instance's appends: a tail waiting on a shared backend never sees another instance's entries",
    breaks: ['LOG-016'],
    target: () => mutantTarget('log-tail-woken-by-own-appends-only', withLogStore(OwnAppendsWakeTail)),
  },
  {
    name: 'dataspace-subscription-woken-by-own-changes-only',
    kind: 'dataspace',
    bug: "a dataspace subscription reads the changes when asked but is only woken by its own instance's changes: a waiting subscriber misses what other instances' sessions do",
    breaks: ['DSP-014'],
    target: () =>
      mutantTarget('dataspace-subscription-woken-by-own-changes-only', withDataspaceStore(OwnChangesWakeDataspace)),
  },
  {
    name: 'channel-subscription-woken-by-own-publishes-only',
    kind: 'channel',
    bug: "a channel subscription reads the messages when asked but is only woken by its own instance's publishes: a waiting subscriber never hears other replicas",
    breaks: ['CHN-001'],
    target: () =>
      mutantTarget('channel-subscription-woken-by-own-publishes-only', withChannelStore(OwnPublishesWakeChannel)),
  },
];
