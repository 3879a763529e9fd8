import type { ProjectionCommit, ProjectionRecordWrite } from '../adapter/projection-commit.js';
import type { RecordEntry, RecordListOptions, RecordPutOptions, RecordStore } from '../adapter/record-store.js';
import type { StoreGuard } from './store-guard.js';

/** A record store behind core's guard: refused once closed, and TTLs and listing only when claimed. */
export class GuardedRecordStore implements RecordStore {
  constructor(
    private readonly store: RecordStore,
    private readonly guard: StoreGuard,
  ) {}

  async get(key: string): Promise<RecordEntry | null> {
    this.guard.open();
    return this.store.get(key);
  }

  async put(
    key: string,
    value: string,
    options?: RecordPutOptions,
  ): Promise<{ version: number; expiresAt: number | null }> {
    this.guard.open();
    if (options?.ttlMs !== undefined) this.guard.need('ttl', 'a record TTL');
    return this.store.put(key, value, options);
  }

  async delete(key: string, options?: { readonly ifVersion?: number }): Promise<boolean> {
    this.guard.open();
    return this.store.delete(key, options);
  }

  async prune(limit: number): Promise<number> {
    this.guard.open();
    return this.store.prune ? this.store.prune(limit) : 0;
  }

  async list(options: RecordListOptions): Promise<{ entries: RecordEntry[]; more: boolean }> {
    this.guard.open();
    this.guard.need('list', 'listing records');
    return this.store.list(options);
  }

  async applyProjection(writes: readonly ProjectionRecordWrite[], commit: ProjectionCommit): Promise<void> {
    this.guard.open();
    this.guard.needClass('derived-projection', 'a projection commit');
    if (!this.store.applyProjection) throw this.guard.unimplemented('applyProjection');
    return this.store.applyProjection(writes, commit);
  }

  async projectionCursor(): Promise<number> {
    this.guard.open();
    this.guard.needClass('derived-projection', 'a projection cursor');
    if (!this.store.projectionCursor) throw this.guard.unimplemented('projectionCursor');
    return this.store.projectionCursor();
  }
}
