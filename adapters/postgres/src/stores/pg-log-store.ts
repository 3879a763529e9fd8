import {
  createPullSubscription,
  CursorRegressionError,
  cursorBeyondLast,
  LogTrimmedError,
  trimmedRead,
  trimmedResync,
  type AdapterLifecycle,
  type LogEntry,
  type LogEvent,
  type LogReadOptions,
  type LogStore,
  type Subscription,
  type LogBinding,
  type ProjectionCommit,
  type ProjectionLogAppend,
} from '@stateproof/core/adapter-kit';
import { NOW } from '../db/server-time.js';
import { shortDigest } from '../db/sql-names.js';
import { PgProjectionCursor } from './pg-projection-cursor.js';
import type { PgSpaceContext } from './pg-store-context.js';

/** How a log store reaches the rest of the adapter. */
export interface PgLogContext extends PgSpaceContext {
  readonly lifecycle: AdapterLifecycle;
  readonly pollIntervalMs: number;
  /** Whether appends send NOTIFY (wake-up hints; tails poll anyway). */
  readonly notify: boolean;
}

/** Entries a tail fetches per round trip. */
const TAIL_BATCH = 200;

/**
 * Logs in Postgres (spec/contract/log.md). A stream's `last` sequence lives in a row that every
 * append locks and bumps in the same statement that inserts the entries, so sequences are
 * gap-free, strictly increasing and never reused (no process-local counter). Retention is applied
 * logically on every read (count and age), so a trimmed entry is never returned even before the
 * physical delete that appends do on the side.
 */
export class PgLogStore implements LogStore {
  private readonly cursor: PgProjectionCursor;

  constructor(
    private readonly ctx: PgLogContext,
    private readonly binding: LogBinding,
  ) {
    this.cursor = new PgProjectionCursor(ctx.db, ctx.s);
  }

  /** Retained: within the last maxEntries and younger than maxAgeMs (each when set). `$maxEntries`/`$maxAge` are the parameter slots. */
  private retained(last: string, maxEntries: string, maxAge: string, now: string): string {
    return `(${maxEntries}::bigint is null or seq > ${last} - ${maxEntries}::bigint) and (${maxAge}::bigint is null or at > ${now} - ${maxAge}::bigint)`;
  }

  private get maxEntries(): number | null {
    return this.binding.retention?.maxEntries ?? null;
  }

  private get maxAgeMs(): number | null {
    return this.binding.retention?.maxAgeMs ?? null;
  }

  async append(stream: string, values: readonly string[]): Promise<number[]> {
    const { db, s } = this.ctx;
    const [space, channel] = await Promise.all([this.ctx.spaceId(), this.ctx.channel()]);
    const rows = await db.query<{ seqs: Array<string | number> }>(
      'appending to a log',
      `with s as (
         insert into ${s}.log_streams as ls (space_id, stream, last) values ($1, $2, $4)
         on conflict (space_id, stream) do update set last = ls.last + $4 returning last
       ), e as (
         insert into ${s}.log_entries (space_id, stream, seq, value, at)
         select $1, $2, s.last - $4 + v.ord, v.value, ${NOW} from s, unnest($3::text[]) with ordinality as v(value, ord)
         returning seq
       ), trimmed as (
         delete from ${s}.log_entries where space_id = $1 and stream = $2
           and (seq <= (select last from s) - $5::bigint or at <= ${NOW} - $6::bigint)
       )
       select array_agg(seq order by seq) as seqs, case when $7::text is null then null else pg_notify($7, $8) end as notified from e`,
      [
        space,
        stream,
        values,
        values.length,
        this.maxEntries,
        this.maxAgeMs,
        this.ctx.notify ? channel : null,
        shortDigest(stream, 12),
      ],
    );
    return (rows[0]?.seqs ?? []).map(Number);
  }

  /** Last assigned sequence, oldest retained one, and up to `limit` retained entries after `after`, all from one snapshot. */
  private async window(
    stream: string,
    after: number,
    limit: number,
  ): Promise<{ last: number; first: number | null; entries: LogEntry[] }> {
    const { db, s } = this.ctx;
    const space = await this.ctx.spaceId();
    const rows = await db.query<{
      last: string | null;
      first: string | null;
      entries: Array<{ seq: number; value: string; at: number }>;
    }>(
      'reading a log',
      // The clock is read once, in st: a CTE that calls a volatile function is always materialized,
      // and r materialized would hold every retained entry of the stream for each page read (a
      // page of a 200,000-entry stream took 100+ ms). Inlined, the first entry and the page are
      // each an index range scan.
      `with st as (select coalesce((select last from ${s}.log_streams where space_id = $1 and stream = $2), 0) as last, ${NOW} as now),
       r as not materialized (select seq, value, at from ${s}.log_entries, st where space_id = $1 and stream = $2 and ${this.retained('st.last', '$5', '$6', 'st.now')})
       select st.last,
              (select seq from r order by seq limit 1) as first,
              (select coalesce(json_agg(json_build_object('seq', seq, 'value', value, 'at', at) order by seq), '[]'::json)
                 from (select * from r where seq > $3 order by seq limit $4) page) as entries
       from st`,
      [space, stream, after, limit, this.maxEntries, this.maxAgeMs],
      { idempotent: true },
    );
    const row = rows[0];
    return {
      last: Number(row?.last ?? 0),
      first: row?.first === null || row?.first === undefined ? null : Number(row.first),
      entries: (row?.entries ?? []).map((e) => ({ seq: Number(e.seq), value: e.value, at: Number(e.at) })),
    };
  }

  async read(stream: string, options: LogReadOptions): Promise<LogEntry[]> {
    const w = await this.window(stream, options.after, options.limit);
    const trimmed = trimmedRead(stream, options.after, w.first, w.last);
    if (trimmed) throw trimmed;
    return w.entries;
  }

  async info(stream: string): Promise<{ first: number | null; last: number }> {
    const w = await this.window(stream, Number.MAX_SAFE_INTEGER, 1);
    return { first: w.first, last: w.last };
  }

  async getCursor(stream: string, consumer: string): Promise<number> {
    const { db, s } = this.ctx;
    const space = await this.ctx.spaceId();
    const rows = await db.query(
      'reading a cursor',
      `select seq from ${s}.log_cursors where space_id = $1 and stream = $2 and consumer = $3`,
      [space, stream, consumer],
      { idempotent: true },
    );
    return rows[0] ? Number(rows[0]['seq']) : 0;
  }

  async commitCursor(
    stream: string,
    consumer: string,
    seq: number,
    options: { readonly reset?: boolean } = {},
  ): Promise<void> {
    const { db, s } = this.ctx;
    const space = await this.ctx.spaceId();
    // The regression check is the upsert's WHERE, judged on the row as it is when the write happens.
    const rows = await db.query<{ last: string; written: string | null; current: string | null }>(
      'committing a cursor',
      `with st as (select coalesce((select last from ${s}.log_streams where space_id = $1 and stream = $2), 0) as last),
       up as (
         insert into ${s}.log_cursors as c (space_id, stream, consumer, seq) select $1, $2, $3, $4 from st where $4 <= st.last
         on conflict (space_id, stream, consumer) do update set seq = excluded.seq where $5 or c.seq <= excluded.seq
         returning seq
       )
       select st.last, (select seq from up) as written,
              (select seq from ${s}.log_cursors where space_id = $1 and stream = $2 and consumer = $3) as current
       from st`,
      [space, stream, consumer, seq, options.reset === true],
    );
    const row = rows[0];
    const last = Number(row?.last ?? 0);
    const beyond = cursorBeyondLast(stream, seq, last);
    if (beyond) throw beyond;
    if (row?.written === null || row?.written === undefined) {
      // The statement's own read may predate a concurrent commit; ask again for the value that won.
      const current = Math.max(Number(row?.current ?? 0), await this.getCursor(stream, consumer));
      throw new CursorRegressionError(consumer, current, seq);
    }
  }

  async subscribe(stream: string, options: { readonly after: number }): Promise<Subscription<LogEvent>> {
    const channel = await this.ctx.channel();
    const digest = shortDigest(stream, 12);
    let position = options.after;
    // NOTIFY is only a hint: a wake-up reads at once, and the poll interval covers a listener that is down.
    const fetch = async (): Promise<LogEvent[]> => {
      try {
        const entries = await this.read(stream, { after: position, limit: TAIL_BATCH });
        position = entries.at(-1)?.seq ?? position;
        return entries.map((entry): LogEvent => ({ type: 'entry', entry }));
      } catch (error) {
        if (!(error instanceof LogTrimmedError)) throw error;
        const event = trimmedResync(position, error.oldest, error.last);
        position = event.toSeq;
        return [event];
      }
    };
    let untrack = () => {};
    let stopListening = () => {};
    const { subscription, wake } = createPullSubscription<LogEvent>(fetch, {
      pollMs: this.ctx.pollIntervalMs,
      onClose: () => {
        untrack();
        stopListening();
      },
    });
    const listening = this.ctx.listener.listen(channel, (payload) => {
      if (payload === null || payload === digest) wake();
    });
    listening.ready.catch(() => undefined); // polling covers a listener that is down
    stopListening = () => listening.close();
    untrack = this.ctx.lifecycle.track(() => subscription.close());
    return subscription;
  }

  /**
   * One transaction (PRJ-003): the cursor row locked and compared before any write, then with
   * `reset` every entry of the surface's streams deleted (their stream rows keep `last`, so
   * sequences go on and are never reused), then the appends in one statement, each stream's in
   * their order with its next sequences (retention as an append applies it), then the new cursor.
   * The wake-ups of the touched streams are NOTIFYs of the transaction: sent at its commit, or never.
   */
  async applyProjection(appends: readonly ProjectionLogAppend[], commit: ProjectionCommit): Promise<void> {
    const { db, s } = this.ctx;
    const [space, channel] = await Promise.all([this.ctx.spaceId(), this.ctx.channel()]);
    await db.transaction('committing a projection', async (tx) => {
      await this.cursor.claim(tx, this.binding.surfaceId, space, commit);
      const touched = new Set(appends.map((a) => a.stream));
      if (commit.reset) {
        const emptied = await tx.query<{ stream: string }>(
          `with d as (delete from ${s}.log_entries where space_id = $1 returning stream) select distinct stream from d`,
          [space],
        );
        for (const r of emptied) touched.add(r.stream);
      }
      if (appends.length > 0)
        await tx.query(
          `with input as (
             select w.stream, w.value, w.ord from unnest($2::text[], $3::text[]) with ordinality as w(stream, value, ord)
           ), counts as (
             select stream, count(*)::bigint as n from input group by stream
           ), s as (
             insert into ${s}.log_streams as ls (space_id, stream, last) select $1, stream, n from counts
             on conflict (space_id, stream) do update set last = ls.last + excluded.last returning stream, last
           ), e as (
             insert into ${s}.log_entries (space_id, stream, seq, value, at)
             select $1, i.stream, s.last - c.n + row_number() over (partition by i.stream order by i.ord), i.value, ${NOW}
             from input i join counts c on c.stream = i.stream join s on s.stream = i.stream
           )
           delete from ${s}.log_entries le using s where le.space_id = $1 and le.stream = s.stream
             and (le.seq <= s.last - $4::bigint or le.at <= ${NOW} - $5::bigint)`,
          [space, appends.map((a) => a.stream), appends.map((a) => a.value), this.maxEntries, this.maxAgeMs],
        );
      await this.cursor.set(tx, space, commit.to);
      if (this.ctx.notify && touched.size > 0)
        await tx.query(`select pg_notify($1, d) from unnest($2::text[]) as d`, [
          channel,
          [...touched].map((stream) => shortDigest(stream, 12)),
        ]);
    });
  }

  async projectionCursor(): Promise<number> {
    return this.cursor.read(await this.ctx.spaceId());
  }
}
