import type Database from 'better-sqlite3';
import {
  casConflict,
  casHolds,
  recordTtl,
  prefixUpperBound,
  type ProjectionCommit,
  type ProjectionRecordWrite,
  type RecordEntry,
  type RecordListOptions,
  type RecordPutOptions,
  type RecordStore,
  type RecordBinding,
} from '@stateproof/core/adapter-kit';
import { ProjectionCursors } from './projection-cursors.js';
import type { StoreContext } from './store-context.js';

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
 * overwritten or removed by writes. Prefixes are range comparisons on the BINARY (UTF-8 byte) order,
 * never LIKE or GLOB patterns.
 */
export class SqliteRecordStore implements RecordStore {
  private readonly space: string;
  private readonly q: {
    readonly live: Database.Statement;
    readonly upsert: Database.Statement;
    readonly delete: Database.Statement;
    readonly list: Database.Statement;
    readonly listBounded: Database.Statement;
    readonly expired: Database.Statement;
    readonly sweep: Database.Statement;
    readonly clear: Database.Statement;
  };
  private readonly cursors: ProjectionCursors;

  constructor(
    private readonly ctx: StoreContext,
    private readonly binding: RecordBinding,
  ) {
    const t = ctx.tables.records;
    const live = this.liveCondition();
    const cols = 'key, value, version, expires_at';
    // Keys are never empty, so `key > ''` is "no lower bound" for a walk without a cursor.
    const list = `SELECT ${cols} FROM ${t} WHERE space = ? AND key >= ? AND key > ? AND ${live}`;
    this.space = binding.space;
    this.q = {
      live: ctx.sql.get(`SELECT ${cols} FROM ${t} WHERE space = ? AND key = ? AND ${live}`),
      upsert: ctx.sql.get(
        `INSERT INTO ${t} (space, key, value, version, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (space, key) DO UPDATE SET value = excluded.value, version = excluded.version, expires_at = excluded.expires_at`,
      ),
      delete: ctx.sql.get(`DELETE FROM ${t} WHERE space = ? AND key = ?`),
      list: ctx.sql.get(`${list} ORDER BY key LIMIT ?`),
      listBounded: ctx.sql.get(`${list} AND key < ? ORDER BY key LIMIT ?`),
      // `expires_at IS NOT NULL` (implied by NOT live) lets both walk the partial expiry index, not
      // every record of the surface; the sweep runs only when the look finds an expired record.
      expired: ctx.sql.get(`SELECT 1 FROM ${t} WHERE space = ? AND expires_at IS NOT NULL AND NOT ${live} LIMIT 1`),
      sweep: ctx.sql.get(
        `DELETE FROM ${t} WHERE space = ? AND key IN (SELECT key FROM ${t} WHERE space = ? AND expires_at IS NOT NULL AND NOT ${live} LIMIT ?)`,
      ),
      clear: ctx.sql.get(`DELETE FROM ${t} WHERE space = ?`),
    };
    this.cursors = new ProjectionCursors(ctx.sql, ctx.tables);
  }

  /**
   * The condition, with one parameter for now, under which a row's record is live: it never expires,
   * or its instant is still ahead (live while now < expiresAt). Called once by the constructor for
   * every statement; protected as the seam the kit's expiry mutants override.
   */
  protected liveCondition(): string {
    return '(expires_at IS NULL OR expires_at > ?)';
  }

  private live(key: string, now: number): Row | undefined {
    return this.q.live.get(this.space, key, now) as Row | undefined;
  }

  async get(key: string): Promise<RecordEntry | null> {
    return this.ctx.exec.read(() => {
      const r = this.live(key, this.ctx.clock.now());
      return r ? entry(r) : null;
    });
  }

  async put(
    key: string,
    value: string,
    options: RecordPutOptions = {},
  ): Promise<{ version: number; expiresAt: number | null }> {
    return this.ctx.exec.write(() => {
      const now = this.ctx.clock.now();
      if (options.ifAbsent || options.ifVersion !== undefined) {
        // Only a compare-and-set needs the current record; an unconditional put replaces whatever is there.
        const current = this.live(key, now)?.version ?? null;
        if (!casHolds(current, options)) throw casConflict(key, options, current);
      }
      const ttl = recordTtl(options, this.binding);
      const expiresAt = ttl === undefined ? null : now + ttl;
      const version = this.ctx.counters.bump(this.space, 'record-version');
      this.q.upsert.run(this.space, key, value, version, expiresAt);
      // Now and then, remove records that expired and were never touched again, so the table does not grow without bound.
      if (version % 64 === 0 && this.q.expired.get(this.space, now) !== undefined)
        this.q.sweep.run(this.space, this.space, now, 256);
      return { version, expiresAt };
    });
  }

  async prune(limit: number): Promise<number> {
    return this.ctx.exec.write(() => this.q.sweep.run(this.space, this.space, this.ctx.clock.now(), limit).changes);
  }

  async delete(key: string, options: { readonly ifVersion?: number } = {}): Promise<boolean> {
    return this.ctx.exec.write(() => {
      const current = this.live(key, this.ctx.clock.now());
      const version = current?.version ?? null;
      if (options.ifVersion !== undefined && !casHolds(version, options)) throw casConflict(key, options, version);
      // An expired row is removed too: invisible either way, and it frees the space.
      this.q.delete.run(this.space, key);
      return current !== undefined;
    });
  }

  async list(options: RecordListOptions): Promise<{ entries: RecordEntry[]; more: boolean }> {
    const upper = prefixUpperBound(options.prefix);
    const after = options.after ?? '';
    return this.ctx.exec.read(() => {
      const now = this.ctx.clock.now();
      const rows = (
        upper === undefined
          ? this.q.list.all(this.space, options.prefix, after, now, options.limit + 1)
          : this.q.listBounded.all(this.space, options.prefix, after, now, upper, options.limit + 1)
      ) as Row[];
      return { entries: rows.slice(0, options.limit).map(entry), more: rows.length > options.limit };
    });
  }

  /**
   * One write transaction (the executor's, so a failure rolls all of it back): the cursor's
   * compare-and-set before any write, then with `reset` every record of the surface goes, then the
   * writes in order (a put gets a fresh version from the surface's counter, as any put does; the
   * surface's default TTL applies), then the new cursor (PRJ-003).
   */
  async applyProjection(writes: readonly ProjectionRecordWrite[], commit: ProjectionCommit): Promise<void> {
    return this.ctx.exec.write(() => {
      this.cursors.check(this.binding.surfaceId, this.space, commit);
      if (commit.reset) this.q.clear.run(this.space);
      const now = this.ctx.clock.now();
      const ttl = this.binding.ttlMs;
      const expiresAt = ttl === undefined ? null : now + ttl;
      for (const w of writes) {
        if (w.value === null) this.q.delete.run(this.space, w.key);
        else
          this.q.upsert.run(
            this.space,
            w.key,
            w.value,
            this.ctx.counters.bump(this.space, 'record-version'),
            expiresAt,
          );
      }
      this.cursors.set(this.space, commit.to);
    });
  }

  async projectionCursor(): Promise<number> {
    return this.ctx.exec.read(() => this.cursors.read(this.space));
  }
}
