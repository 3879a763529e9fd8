import { prefixUpperBound, VersionConflictError, type RecordEntry, type RecordListOptions, type RecordPutOptions, type RecordStore, type SurfaceBinding } from '@stateproof/core';
import { bumpCounter, type StoreContext } from './store-context.js';

interface Row {
  key: string;
  value: string;
  version: number;
  expires_at: number | null;
}

const entry = (r: Row): RecordEntry => ({ key: r.key, value: r.value, version: r.version, expiresAt: r.expires_at });

/**
 * Records in SQLite (spec/contract/record.md). Versions come from one counter per surface, bumped in
 * the writing transaction, so they strictly increase and are never reused, not after a delete and not
 * after a crash (the counter commits with the write). Expired records are filtered by every read and
 * overwritten or removed by writes. Prefixes are range comparisons, never LIKE patterns.
 */
export class SqliteRecordStore implements RecordStore {
  private readonly t: string;

  constructor(
    private readonly ctx: StoreContext,
    private readonly binding: SurfaceBinding,
  ) {
    this.t = ctx.tables.records;
  }

  private live(key: string, now: number): Row | undefined {
    return this.ctx.sql.get(`SELECT key, value, version, expires_at FROM ${this.t} WHERE space = ? AND key = ? AND (expires_at IS NULL OR expires_at > ?)`).get(this.binding.space, key, now) as Row | undefined;
  }

  async get(key: string): Promise<RecordEntry | null> {
    this.ctx.lifecycle.assertOpen();
    return this.ctx.exec.read(() => {
      const r = this.live(key, this.ctx.clock.now());
      return r ? entry(r) : null;
    });
  }

  async put(key: string, value: string, options: RecordPutOptions = {}): Promise<{ version: number; expiresAt: number | null }> {
    this.ctx.lifecycle.assertOpen();
    return this.ctx.exec.write(() => {
      const now = this.ctx.clock.now();
      const current = this.live(key, now);
      if ((options.ifAbsent && current) || (options.ifVersion !== undefined && current?.version !== options.ifVersion)) {
        throw new VersionConflictError(key, options.ifAbsent ? 'absent' : (options.ifVersion as number), current?.version ?? null);
      }
      const ttl = options.ttlMs ?? this.binding.ttlMs;
      const expiresAt = ttl === undefined ? null : now + ttl;
      const version = bumpCounter(this.ctx, this.binding.space, 'record-version');
      this.ctx.sql
        .get(
          `INSERT INTO ${this.t} (space, key, value, version, expires_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (space, key) DO UPDATE SET value = excluded.value, version = excluded.version, expires_at = excluded.expires_at`,
        )
        .run(this.binding.space, key, value, version, expiresAt);
      this.sweep(now, version);
      return { version, expiresAt };
    });
  }

  async delete(key: string, options: { readonly ifVersion?: number } = {}): Promise<boolean> {
    this.ctx.lifecycle.assertOpen();
    return this.ctx.exec.write(() => {
      const now = this.ctx.clock.now();
      const current = this.live(key, now);
      if (options.ifVersion !== undefined && current?.version !== options.ifVersion) {
        throw new VersionConflictError(key, options.ifVersion, current?.version ?? null);
      }
      // An expired row is removed too: invisible either way, and it frees the space.
      this.ctx.sql.get(`DELETE FROM ${this.t} WHERE space = ? AND key = ?`).run(this.binding.space, key);
      return current !== undefined;
    });
  }

  async list(options: RecordListOptions): Promise<{ entries: RecordEntry[]; more: boolean }> {
    this.ctx.lifecycle.assertOpen();
    const upper = prefixUpperBound(options.prefix);
    // Keys are never empty, so `key > ''` is "no lower bound" for a walk without a cursor.
    const after = options.after ?? '';
    return this.ctx.exec.read(() => {
      const now = this.ctx.clock.now();
      const sql = `SELECT key, value, version, expires_at FROM ${this.t}
        WHERE space = ? AND key >= ? AND key > ?${upper === undefined ? '' : ' AND key < ?'} AND (expires_at IS NULL OR expires_at > ?)
        ORDER BY key LIMIT ?`;
      const params = [this.binding.space, options.prefix, after, ...(upper === undefined ? [] : [upper]), now, options.limit + 1];
      const rows = this.ctx.sql.get(sql).all(...params) as Row[];
      const more = rows.length > options.limit;
      return { entries: rows.slice(0, options.limit).map(entry), more };
    });
  }

  /** Now and then, removes a few records that expired long ago and were never touched again, so the table does not grow without bound. */
  private sweep(now: number, version: number): void {
    if (version % 64 !== 0) return;
    this.ctx.sql
      .get(`DELETE FROM ${this.t} WHERE space = ? AND key IN (SELECT key FROM ${this.t} WHERE space = ? AND expires_at IS NOT NULL AND expires_at <= ? LIMIT 256)`)
      .run(this.binding.space, this.binding.space, now);
  }
}
