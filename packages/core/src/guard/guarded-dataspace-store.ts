import type { Assertion, DataspaceEvent, DataspaceFilter, DataspaceStore } from '../adapter/dataspace-store.js';
import type { Subscription } from '../subscription/subscription.js';
import type { StoreGuard } from './store-guard.js';

/** A dataspace store behind core's guard: refused once closed; glob filters and subscriptions only when claimed. */
export class GuardedDataspaceStore implements DataspaceStore {
  constructor(
    private readonly store: DataspaceStore,
    private readonly guard: StoreGuard,
  ) {}

  private needs(filter: DataspaceFilter): void {
    if (filter.type === 'glob') this.guard.need('glob', 'glob filters');
  }

  async openSession(owner: string, leaseMs: number): Promise<{ session: string; expiresAt: number }> {
    this.guard.open();
    return this.store.openSession(owner, leaseMs);
  }

  async heartbeat(session: string, leaseMs: number): Promise<{ expiresAt: number }> {
    this.guard.open();
    return this.store.heartbeat(session, leaseMs);
  }

  async closeSession(session: string): Promise<{ retracted: number }> {
    this.guard.open();
    return this.store.closeSession(session);
  }

  async assert(session: string, id: string, value: string): Promise<{ revision: number }> {
    this.guard.open();
    return this.store.assert(session, id, value);
  }

  async retract(session: string, id: string): Promise<{ revision: number } | null> {
    this.guard.open();
    return this.store.retract(session, id);
  }

  async get(id: string): Promise<Assertion | null> {
    this.guard.open();
    return this.store.get(id);
  }

  async list(filter: DataspaceFilter): Promise<{ revision: number; assertions: Assertion[] }> {
    this.guard.open();
    this.needs(filter);
    return this.store.list(filter);
  }

  async reap(): Promise<{ expired: number; retracted: number }> {
    this.guard.open();
    return this.store.reap();
  }

  async prune(limit: number): Promise<number> {
    this.guard.open();
    return this.store.prune(limit);
  }

  async subscribe(
    filter: DataspaceFilter,
    options?: { readonly bufferSize?: number },
  ): Promise<Subscription<DataspaceEvent>> {
    this.guard.open();
    this.needs(filter);
    this.guard.need('subscribe', 'dataspace subscriptions');
    return this.store.subscribe(filter, options);
  }
}
