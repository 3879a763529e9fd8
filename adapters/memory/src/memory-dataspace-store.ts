import {
  checkSession,
  closeSessionDecision,
  compareKeys,
  createEventBuffer,
  endedSessionPrunable,
  filterMatcher,
  foreignOwner,
  sessionExpired,
  type Assertion,
  type Clock,
  type DataspaceBinding,
  type DataspaceEvent,
  type DataspaceFilter,
  type DataspaceStore,
  type EventSink,
  type RetractReason,
  type SessionState,
  type Subscription,
  type AdapterLifecycle,
} from '@stateproof/core/adapter-kit';
import type { MemoryNamespace } from './memory-backend.js';

interface Session {
  readonly id: string;
  readonly owner: string;
  expiresAt: number;
  state: SessionState;
  readonly ids: Set<string>;
}

interface Subscriber {
  readonly filter: DataspaceFilter;
  readonly matches: (id: string) => boolean;
  readonly sink: EventSink<DataspaceEvent>;
}

/** The shared state of one dataspace surface. */
export interface DataspaceSpace {
  readonly sessions: Map<string, Session>;
  readonly assertions: Map<string, Assertion>;
  revision: number;
  readonly subscribers: Set<Subscriber>;
}

/** A new, empty dataspace space. */
export function newDataspaceSpace(): DataspaceSpace {
  return { sessions: new Map(), assertions: new Map(), revision: 0, subscribers: new Set() };
}

/** Owned assertions in memory (spec/contract/dataspace.md). */
export class MemoryDataspaceStore implements DataspaceStore {
  constructor(
    protected readonly space: DataspaceSpace,
    protected readonly namespace: MemoryNamespace,
    protected readonly clock: Clock,
    protected readonly lifecycle: AdapterLifecycle,
    protected readonly retention: DataspaceBinding['retention'],
  ) {}

  /** Sends `event` (about `id`) to every matching subscriber; one that lags gets a resync and a fresh snapshot. */
  protected emit(id: string, event: DataspaceEvent): void {
    for (const s of this.space.subscribers) {
      if (!s.matches(id)) continue;
      if (!s.sink.push(event))
        s.sink.replace([{ type: 'resync', reason: 'lagged' }, this.snapshot(s.filter, s.matches)]);
    }
  }

  protected snapshot(_filter: DataspaceFilter, matches: (id: string) => boolean): DataspaceEvent {
    return { type: 'snapshot', revision: this.space.revision, assertions: this.matching(matches) };
  }

  protected matching(matches: (id: string) => boolean): Assertion[] {
    return [...this.space.assertions.values()].filter((a) => matches(a.id)).sort((a, b) => compareKeys(a.id, b.id));
  }

  protected expired(s: Session): boolean {
    return sessionExpired(s, this.clock.now());
  }

  /** Ends a session and retracts each of its assertions once. */
  protected retractAll(s: Session, reason: Exclude<RetractReason, 'retracted'>): number {
    s.state = reason;
    const ids = [...s.ids].sort(compareKeys);
    s.ids.clear();
    for (const id of ids) this.remove(id, s, reason);
    return ids.length;
  }

  protected remove(id: string, s: Session, reason: RetractReason): number {
    this.space.assertions.delete(id);
    s.ids.delete(id);
    const revision = ++this.space.revision;
    this.emit(id, { type: 'retracted', revision, id, session: s.id, owner: s.owner, reason });
    return revision;
  }

  /** The open session `id`; a closed or expired one is SessionExpiredError (an expired one is reaped first). */
  protected live(id: string): Session {
    const s = this.space.sessions.get(id);
    const check = checkSession(id, s, s !== undefined && this.expired(s));
    if (check.live) return s as Session;
    if (check.reap) this.retractAll(s as Session, 'expired');
    throw check.error;
  }

  /** Throws OwnershipError when a live session other than `self` owns `id`; a dead owner is reaped first. */
  protected assertWritable(id: string, self: Session): void {
    const a = this.space.assertions.get(id);
    if (!a || a.session === self.id) return;
    const owner = this.space.sessions.get(a.session);
    const verdict = foreignOwner(id, owner, owner !== undefined && this.expired(owner));
    if (verdict === 'reap') this.retractAll(owner as Session, 'expired');
    else if (verdict) throw verdict;
  }

  async openSession(owner: string, leaseMs: number): Promise<{ session: string; expiresAt: number }> {
    const id = this.namespace.nextId('s');
    const expiresAt = this.clock.now() + leaseMs;
    this.space.sessions.set(id, { id, owner, expiresAt, state: 'open', ids: new Set() });
    return { session: id, expiresAt };
  }

  async heartbeat(session: string, leaseMs: number): Promise<{ expiresAt: number }> {
    const s = this.live(session);
    s.expiresAt = this.clock.now() + leaseMs;
    return { expiresAt: s.expiresAt };
  }

  async closeSession(session: string): Promise<{ retracted: number }> {
    const s = this.space.sessions.get(session);
    const d = closeSessionDecision(session, s, s !== undefined && this.expired(s));
    if ('error' in d) throw d.error;
    if (d.end === 'closed') return { retracted: this.retractAll(s as Session, 'closed') };
    if (d.end === 'expired') this.retractAll(s as Session, 'expired');
    return { retracted: 0 };
  }

  async assert(session: string, id: string, value: string): Promise<{ revision: number }> {
    const s = this.live(session);
    this.assertWritable(id, s);
    const revision = ++this.space.revision;
    const assertion: Assertion = { id, value, session: s.id, owner: s.owner, revision };
    this.space.assertions.set(id, assertion);
    s.ids.add(id);
    this.emit(id, { type: 'asserted', revision, assertion });
    return { revision };
  }

  async retract(session: string, id: string): Promise<{ revision: number } | null> {
    const s = this.live(session);
    this.assertWritable(id, s);
    if (!this.space.assertions.has(id)) return null;
    return { revision: this.remove(id, s, 'retracted') };
  }

  async get(id: string): Promise<Assertion | null> {
    return this.space.assertions.get(id) ?? null;
  }

  async list(filter: DataspaceFilter): Promise<{ revision: number; assertions: Assertion[] }> {
    return { revision: this.space.revision, assertions: this.matching(filterMatcher(filter)) };
  }

  async reap(): Promise<{ expired: number; retracted: number }> {
    let expired = 0;
    let retracted = 0;
    for (const s of this.space.sessions.values()) {
      if (!this.expired(s)) continue;
      expired++;
      retracted += this.retractAll(s, 'expired');
    }
    return { expired, retracted };
  }

  async prune(limit: number): Promise<number> {
    const now = this.clock.now();
    let pruned = 0;
    for (const s of this.space.sessions.values()) {
      if (pruned >= limit) break;
      if (!endedSessionPrunable(s.state, s.expiresAt, now, this.retention.endedSessionsMs)) continue;
      this.space.sessions.delete(s.id);
      pruned++;
    }
    return pruned;
  }

  async subscribe(
    filter: DataspaceFilter,
    options: { readonly bufferSize?: number } = {},
  ): Promise<Subscription<DataspaceEvent>> {
    const matches = filterMatcher(filter);
    let subscriber: Subscriber | undefined;
    let untrack = () => {};
    const { subscription, sink } = createEventBuffer<DataspaceEvent>({
      // The snapshot is taken and the subscriber attached in one synchronous step: no change can fall between them.
      bufferSize: Math.max(2, options.bufferSize ?? 1024),
      onClose: () => {
        if (subscriber) this.space.subscribers.delete(subscriber);
        untrack();
      },
    });
    subscriber = { filter, matches, sink };
    sink.push(this.snapshot(filter, matches));
    this.space.subscribers.add(subscriber);
    untrack = this.lifecycle.track(() => subscription.close());
    return subscription;
  }
}
