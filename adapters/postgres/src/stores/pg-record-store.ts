import { VersionConflictError, type RecordEntry, type RecordListOptions, type RecordPutOptions, type RecordStore, type SurfaceBinding } from '@stateproof/core';
import type { PgDatabase, Row } from '../db/pg-database.js';
import { NOW } from '../db/server-time.js';
import { sqlLiteral } from '../db/sql-names.js';

/** Live: never expires, or expires after now. */
const LIVE = `(expires_at is null or expires_at > ${NOW})`;

function entry(key: string, row: Row): RecordEntry {
  return { key, value: row['value'] as string, version: Number(row['version']), expiresAt: row['expires_at'] === null ? null : Number(row['expires_at']) };
}

/**
 * Records in Postgres (spec/contract/record.md). Every write is one statement, so it is applied
 * whole or not at all. Versions come from one sequence per schema: strictly increasing per key,
 * never reused, not after a delete and not after a crash (a sequence never hands a value out twice).
 * Expired records are invisible to every statement; compare-and-set conditions are part of the
 * statement's WHERE, so they are checked against the row as it is when the write happens.
 */
export class PgRecordStore implements RecordStore {
  private readonly nextVersion: string;

  constructor(
    private readonly db: PgDatabase,
    private readonly s: string,
    private readonly spaceId: () => Promise<number>,
    private readonly binding: SurfaceBinding,
  ) {
    this.nextVersion = `nextval(${sqlLiteral(`${s}.record_versions`)}::regclass)`;
  }

  private async current(space: number, key: string): Promise<number | null> {
    const rows = await this.db.query('reading a record version', `select version from ${this.s}.records where space_id = $1 and key = $2 and ${LIVE}`, [space, key], { idempotent: true });
    return rows[0] ? Number(rows[0]['version']) : null;
  }

  async get(key: string): Promise<RecordEntry | null> {
    const space = await this.spaceId();
    const rows = await this.db.query('reading a record', `select value, version, expires_at from ${this.s}.records where space_id = $1 and key = $2 and ${LIVE}`, [space, key], { idempotent: true });
    return rows[0] ? entry(key, rows[0]) : null;
  }

  async put(key: string, value: string, options: RecordPutOptions = {}): Promise<{ version: number; expiresAt: number | null }> {
    const space = await this.spaceId();
    const ttl = options.ttlMs ?? this.binding.ttlMs ?? null;
    const expires = `case when $4::bigint is null then null else ${NOW} + $4::bigint end`;
    const params = [space, key, value, ttl];
    let rows: Row[];
    if (options.ifVersion !== undefined) {
      rows = await this.db.query(
        'writing a record',
        `update ${this.s}.records set value = $3, version = ${this.nextVersion}, expires_at = ${expires}
         where space_id = $1 and key = $2 and version = $5 and ${LIVE} returning version, expires_at`,
        [...params, options.ifVersion],
      );
    } else {
      // An expired record counts as absent: ifAbsent may replace it.
      rows = await this.db.query(
        'writing a record',
        `insert into ${this.s}.records as r (space_id, key, value, version, expires_at) values ($1, $2, $3, ${this.nextVersion}, ${expires})
         on conflict (space_id, key) do update set value = excluded.value, version = ${this.nextVersion}, expires_at = excluded.expires_at
         ${options.ifAbsent ? `where r.expires_at is not null and r.expires_at <= ${NOW}` : ''}
         returning version, expires_at`,
        params,
      );
    }
    const row = rows[0];
    if (!row) throw new VersionConflictError(key, options.ifAbsent ? 'absent' : (options.ifVersion as number), await this.current(space, key));
    const e = entry(key, { ...row, value });
    return { version: e.version, expiresAt: e.expiresAt };
  }

  async delete(key: string, options: { readonly ifVersion?: number } = {}): Promise<boolean> {
    const space = await this.spaceId();
    const rows = await this.db.query(
      'deleting a record',
      `delete from ${this.s}.records where space_id = $1 and key = $2 and ${LIVE} and ($3::bigint is null or version = $3::bigint) returning version`,
      [space, key, options.ifVersion ?? null],
    );
    if (rows.length > 0) return true;
    if (options.ifVersion !== undefined) throw new VersionConflictError(key, options.ifVersion, await this.current(space, key));
    return false;
  }

  async list(options: RecordListOptions): Promise<{ entries: RecordEntry[]; more: boolean }> {
    const space = await this.spaceId();
    // The range condition lets the primary key serve the prefix; starts_with makes it exact (no LIKE, so no wildcards).
    const rows = await this.db.query(
      'listing records',
      `select key, value, version, expires_at from ${this.s}.records
       where space_id = $1 and key >= $2 collate "C" and starts_with(key, $2) and ($3::text is null or key > $3::text collate "C") and ${LIVE}
       order by key limit $4`,
      [space, options.prefix, options.after ?? null, options.limit + 1],
      { idempotent: true },
    );
    const entries = rows.slice(0, options.limit).map((r) => entry(r['key'] as string, r));
    return { entries, more: rows.length > options.limit };
  }
}
