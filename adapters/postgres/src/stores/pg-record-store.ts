import {
  casConflict,
  casHolds,
  recordTtl,
  type CasCondition,
  type ProjectionCommit,
  type ProjectionRecordWrite,
  type RecordEntry,
  type RecordListOptions,
  type RecordPutOptions,
  type RecordStore,
  type RecordBinding,
} from '@stateproof/core/adapter-kit';
import type { PgDatabase, Row } from '../db/pg-database.js';
import { NOW } from '../db/server-time.js';
import { sqlLiteral } from '../db/sql-names.js';
import { PgProjectionCursor } from './pg-projection-cursor.js';

/** Writes between two sweeps of expired rows. */
const SWEEP_EVERY = 256;

function entry(key: string, row: Row): RecordEntry {
  return {
    key,
    value: row['value'] as string,
    version: Number(row['version']),
    expiresAt: row['expires_at'] === null ? null : Number(row['expires_at']),
  };
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
  /**
   * Serialises the writes of one key that may create its row, taken before the row (and its
   * version) is formed. Without it an insert forms its row with a version, waits on a conflicting
   * row, and inserts that older version once another session updated the row higher and deleted it.
   */
  private readonly lockKey: string;
  /** Writes since the last sweep of expired rows. */
  private writes = 0;
  private readonly cursor: PgProjectionCursor;

  constructor(
    private readonly db: PgDatabase,
    private readonly s: string,
    private readonly spaceId: () => Promise<number>,
    private readonly binding: RecordBinding,
  ) {
    this.nextVersion = `nextval(${sqlLiteral(`${s}.record_versions`)}::regclass)`;
    this.lockKey = `lock as (select pg_advisory_xact_lock(hashtextextended(${sqlLiteral(`${s}:`)} || ($1::integer)::text || ':' || $2::text, 0)))`;
    this.cursor = new PgProjectionCursor(db, s);
  }

  /**
   * The condition under which the record in `row` (a table alias, or none) is live: it never
   * expires, or its instant is still ahead (live while now < expiresAt; at the instant it is gone).
   * One place for every statement, protected as the seam the kit's expiry mutants override.
   */
  protected live(row?: string): string {
    const column = row === undefined ? 'expires_at' : `${row}.expires_at`;
    return `(${column} is null or ${column} > ${NOW})`;
  }

  async get(key: string): Promise<RecordEntry | null> {
    const space = await this.spaceId();
    const rows = await this.db.query(
      'reading a record',
      `select value, version, expires_at from ${this.s}.records where space_id = $1 and key = $2 and ${this.live()}`,
      [space, key],
      { idempotent: true },
    );
    return rows[0] ? entry(key, rows[0]) : null;
  }

  /**
   * Runs a conditional write whose statement also reads the current version from its own snapshot.
   * A refused write reports that version; when the snapshot says the condition held (the write lost
   * a race it could not see), the statement runs again, so a conflict never names the version it expected.
   */
  private async conditional(key: string, condition: CasCondition, run: () => Promise<Row | undefined>): Promise<Row> {
    for (let round = 0; ; round++) {
      const row = (await run()) as Row;
      if (row['version'] !== null) return row;
      const current = row['current'] === null ? null : Number(row['current']);
      if (!casHolds(current, condition) || round >= 8) throw casConflict(key, condition, current);
    }
  }

  async put(
    key: string,
    value: string,
    options: RecordPutOptions = {},
  ): Promise<{ version: number; expiresAt: number | null }> {
    const space = await this.spaceId();
    const ttl = recordTtl(options, this.binding) ?? null;
    const expires = `case when $4::bigint is null then null else ${NOW} + $4::bigint end`;
    const params = [space, key, value, ttl];
    const cur = `cur as (select version from ${this.s}.records where space_id = $1 and key = $2 and ${this.live()})`;
    const result = `select (select version from w) as version, (select expires_at from w) as expires_at, (select version from cur) as current`;
    let row: Row;
    if (options.ifVersion !== undefined) {
      const ifVersion = options.ifVersion;
      row = await this.conditional(
        key,
        { ifVersion },
        async () =>
          (
            await this.db.query(
              'writing a record',
              `with ${cur}, w as (
               update ${this.s}.records set value = $3, version = ${this.nextVersion}, expires_at = ${expires}
               where space_id = $1 and key = $2 and version = $5 and ${this.live()} returning version, expires_at
             ) ${result}`,
              [...params, ifVersion],
            )
          )[0],
      );
    } else if (options.ifAbsent) {
      // An expired record counts as absent: ifAbsent may replace it.
      row = await this.conditional(
        key,
        { ifAbsent: true },
        async () =>
          (
            await this.db.query(
              'writing a record',
              `with ${this.lockKey}, ${cur}, w as (
               insert into ${this.s}.records as r (space_id, key, value, version, expires_at) select $1::integer, $2::text, $3::text, ${this.nextVersion}, ${expires} from lock
               on conflict (space_id, key) do update set value = excluded.value, version = ${this.nextVersion}, expires_at = excluded.expires_at
               where not ${this.live('r')}
               returning version, expires_at
             ) ${result}`,
              params,
            )
          )[0],
      );
    } else {
      const rows = await this.db.query(
        'writing a record',
        `with ${this.lockKey}
         insert into ${this.s}.records as r (space_id, key, value, version, expires_at) select $1::integer, $2::text, $3::text, ${this.nextVersion}, ${expires} from lock
         on conflict (space_id, key) do update set value = excluded.value, version = ${this.nextVersion}, expires_at = excluded.expires_at
         returning version, expires_at`,
        params,
      );
      row = rows[0] as Row;
    }
    const e = entry(key, { ...row, value });
    if (++this.writes >= SWEEP_EVERY) await this.sweep(space);
    return { version: e.version, expiresAt: e.expiresAt };
  }

  /**
   * Deletes a batch of expired rows (they are already invisible; this only reclaims space). Runs
   * every SWEEP_EVERY writes of a store; versions come from a sequence, so nothing is reused.
   */
  private async sweep(space: number): Promise<void> {
    this.writes = 0;
    await this.deleteExpired(space, 500).catch(() => undefined); // best effort: the next sweep tries again
  }

  /** Deletes at most `limit` expired rows of the space, skipping rows another session holds; returns how many. */
  private async deleteExpired(space: number, limit: number): Promise<number> {
    const rows = await this.db.query(
      'pruning expired records',
      `with d as (delete from ${this.s}.records where ctid = any(array(
         select ctid from ${this.s}.records where space_id = $1 and not ${this.live()} limit $2 for update skip locked)) returning 1)
       select count(*)::int as n from d`,
      [space, limit],
    );
    return Number((rows[0] as { n: number }).n);
  }

  async prune(limit: number): Promise<number> {
    return this.deleteExpired(await this.spaceId(), limit);
  }

  async delete(key: string, options: { readonly ifVersion?: number } = {}): Promise<boolean> {
    const space = await this.spaceId();
    const ifVersion = options.ifVersion;
    const statement = async () =>
      (
        await this.db.query(
          'deleting a record',
          `with ${this.lockKey}, cur as (select version from ${this.s}.records where space_id = $1 and key = $2 and ${this.live()}),
           w as (delete from ${this.s}.records where space_id = $1 and key = $2 and ${this.live()} and ($3::bigint is null or version = $3::bigint) and exists (select from lock) returning version)
           select (select version from w) as version, (select version from cur) as current`,
          [space, key, ifVersion ?? null],
        )
      )[0];
    if (ifVersion === undefined) return (await statement())?.['version'] !== null;
    await this.conditional(key, { ifVersion }, statement);
    return true;
  }

  async list(options: RecordListOptions): Promise<{ entries: RecordEntry[]; more: boolean }> {
    const space = await this.spaceId();
    // The range condition lets the primary key serve the prefix; starts_with makes it exact (no LIKE, so no wildcards).
    const rows = await this.db.query(
      'listing records',
      `select key, value, version, expires_at from ${this.s}.records
       where space_id = $1 and key >= $2 collate "C" and starts_with(key, $2) and ($3::text is null or key > $3::text collate "C") and ${this.live()}
       order by key limit $4`,
      [space, options.prefix, options.after ?? null, options.limit + 1],
      { idempotent: true },
    );
    const entries = rows.slice(0, options.limit).map((r) => entry(r['key'] as string, r));
    return { entries, more: rows.length > options.limit };
  }

  /**
   * One transaction (PRJ-003): the cursor row locked and compared before any write, then with
   * `reset` every record of the surface deleted, then the writes, then the new cursor. The writes
   * go as two statements: within one commit only the last write of a key shows, so each key's last
   * write is applied (puts with a fresh version from the sequence, as any put, and the surface's
   * default TTL; deletes). The cursor lock makes the projector the only writer of these keys while
   * it commits.
   */
  async applyProjection(writes: readonly ProjectionRecordWrite[], commit: ProjectionCommit): Promise<void> {
    const space = await this.spaceId();
    const last = new Map<string, string | null>();
    for (const w of writes) last.set(w.key, w.value);
    const puts = [...last].filter((e): e is [string, string] => e[1] !== null);
    const deletes = [...last].filter(([, v]) => v === null).map(([k]) => k);
    await this.db.transaction('committing a projection', async (tx) => {
      await this.cursor.claim(tx, this.binding.surfaceId, space, commit);
      if (commit.reset) await tx.query(`delete from ${this.s}.records where space_id = $1`, [space]);
      if (deletes.length > 0)
        await tx.query(`delete from ${this.s}.records where space_id = $1 and key = any($2::text[])`, [space, deletes]);
      if (puts.length > 0)
        await tx.query(
          `insert into ${this.s}.records as r (space_id, key, value, version, expires_at)
           select $1, w.key, w.value, ${this.nextVersion}, case when $4::bigint is null then null else ${NOW} + $4::bigint end
           from unnest($2::text[], $3::text[]) as w(key, value)
           on conflict (space_id, key) do update set value = excluded.value, version = ${this.nextVersion}, expires_at = excluded.expires_at`,
          [space, puts.map(([k]) => k), puts.map(([, v]) => v), this.binding.ttlMs ?? null],
        );
      await this.cursor.set(tx, space, commit.to);
    });
  }

  async projectionCursor(): Promise<number> {
    return this.cursor.read(await this.spaceId());
  }
}
