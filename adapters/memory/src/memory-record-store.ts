import {
  casConflict,
  casHolds,
  projectionConflict,
  type ProjectionCommit,
  type ProjectionRecordWrite,
  recordTtl,
  compareKeys,
  type CasCondition,
  type Clock,
  type RecordBinding,
  type RecordEntry,
  type RecordListOptions,
  type RecordPutOptions,
  type RecordStore,
} from '@stateproof/core/adapter-kit';

interface StoredRecord {
  value: string;
  version: number;
  expiresAt: number | null;
}

/** The shared state of one record surface. */
export interface RecordSpace {
  readonly records: Map<string, StoredRecord>;
  /** Last version handed out in this space: versions are never reused, not even after a delete. */
  lastVersion: number;
  /** The committed cursor of a derived projection held in this space. */
  projectionCursor: number;
}

/** A new, empty record space. */
export function newRecordSpace(): RecordSpace {
  return { records: new Map(), lastVersion: 0, projectionCursor: 0 };
}

/** Records in memory (spec/contract/record.md). */
export class MemoryRecordStore implements RecordStore {
  constructor(
    protected readonly space: RecordSpace,
    protected readonly binding: RecordBinding,
    protected readonly clock: Clock,
  ) {}

  /** The live record under `key`; drops it when expired. */
  protected live(key: string): StoredRecord | undefined {
    const r = this.space.records.get(key);
    if (r && r.expiresAt !== null && this.clock.now() >= r.expiresAt) {
      this.space.records.delete(key);
      return undefined;
    }
    return r;
  }

  /** The next version for `key`. */
  protected nextVersion(_key: string): number {
    return ++this.space.lastVersion;
  }

  /** Whether a compare-and-set condition holds against the live record. */
  protected casHolds(current: StoredRecord | undefined, options: CasCondition): boolean {
    return casHolds(current?.version ?? null, options);
  }

  async prune(limit: number): Promise<number> {
    const now = this.clock.now();
    let pruned = 0;
    for (const [key, r] of this.space.records) {
      if (pruned >= limit) break;
      if (r.expiresAt !== null && now >= r.expiresAt) {
        this.space.records.delete(key);
        pruned++;
      }
    }
    return pruned;
  }

  async get(key: string): Promise<RecordEntry | null> {
    const r = this.live(key);
    return r ? { key, value: r.value, version: r.version, expiresAt: r.expiresAt } : null;
  }

  async put(
    key: string,
    value: string,
    options: RecordPutOptions = {},
  ): Promise<{ version: number; expiresAt: number | null }> {
    const current = this.live(key);
    if (!this.casHolds(current, options)) throw casConflict(key, options, current?.version ?? null);
    const ttl = recordTtl(options, this.binding);
    const expiresAt = ttl === undefined ? null : this.clock.now() + ttl;
    const version = this.nextVersion(key);
    this.space.records.set(key, { value, version, expiresAt });
    return { version, expiresAt };
  }

  async delete(key: string, options: { readonly ifVersion?: number } = {}): Promise<boolean> {
    const current = this.live(key);
    if (options.ifVersion !== undefined && !this.casHolds(current, options)) {
      throw casConflict(key, options, current?.version ?? null);
    }
    if (!current) return false;
    this.space.records.delete(key);
    return true;
  }

  async list(options: RecordListOptions): Promise<{ entries: RecordEntry[]; more: boolean }> {
    const keys: string[] = [];
    for (const key of this.space.records.keys()) {
      if (!key.startsWith(options.prefix)) continue;
      if (options.after !== undefined && compareKeys(key, options.after) <= 0) continue;
      if (this.live(key)) keys.push(key);
    }
    keys.sort(compareKeys);
    const page = keys.slice(0, options.limit);
    const entries = page.map((key) => {
      const r = this.space.records.get(key) as StoredRecord;
      return { key, value: r.value, version: r.version, expiresAt: r.expiresAt };
    });
    return { entries, more: keys.length > options.limit };
  }

  /** One synchronous step: the cursor check, the clearing, the writes and the new cursor, all or nothing (PRJ-003). */
  async applyProjection(writes: readonly ProjectionRecordWrite[], commit: ProjectionCommit): Promise<void> {
    const conflict = projectionConflict(this.binding.surfaceId, commit, this.space.projectionCursor);
    if (conflict) throw conflict;
    if (commit.reset) this.space.records.clear();
    const ttl = this.binding.ttlMs;
    for (const w of writes) {
      if (w.value === null) this.space.records.delete(w.key);
      else
        this.space.records.set(w.key, {
          value: w.value,
          version: this.nextVersion(w.key),
          expiresAt: ttl === undefined ? null : this.clock.now() + ttl,
        });
    }
    this.space.projectionCursor = commit.to;
  }

  async projectionCursor(): Promise<number> {
    return this.space.projectionCursor;
  }
}
