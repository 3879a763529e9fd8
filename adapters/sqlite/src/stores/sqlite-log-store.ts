import type Database from 'better-sqlite3';
import {
  createPullSubscription,
  cursorCommitError,
  trimmedRead,
  trimmedResync,
  type LogBinding,
  type LogEntry,
  type LogEvent,
  type LogReadOptions,
  type LogStore,
  type ProjectionCommit,
  type ProjectionLogAppend,
  type Subscription,
} from '@stateproof/core/adapter-kit';
import { ProjectionCursors } from './projection-cursors.js';
import type { StoreContext } from './store-context.js';

interface EntryRow {
  seq: number;
  value: string;
  at: number;
}

const toEntry = (r: EntryRow): LogEntry => ({ seq: r.seq, value: r.value, at: r.at });

/** How many entries a subscription fetches per read. */
const FETCH = 256;

/**
 * Logs in SQLite (spec/contract/log.md). A stream row keeps the last sequence ever assigned, bumped in
 * the appending transaction: sequences are gap-free, consecutive within a batch, and never reused
 * after a trim, a restart or a crash. Retention deletes the oldest entries on append; reads treat
 * entries past the age limit as trimmed even before they are deleted.
 */
export class SqliteLogStore implements LogStore {
  private readonly space: string;
  private readonly q: {
    readonly last: Database.Statement;
    readonly bumpLast: Database.Statement;
    readonly newStream: Database.Statement;
    readonly insert: Database.Statement;
    readonly first: Database.Statement;
    readonly trimThrough: Database.Statement;
    readonly trimBefore: Database.Statement;
    readonly entries: Database.Statement;
    readonly cursor: Database.Statement;
    readonly commit: Database.Statement;
    readonly clear: Database.Statement;
  };
  private readonly cursors: ProjectionCursors;

  constructor(
    private readonly ctx: StoreContext,
    private readonly binding: LogBinding,
  ) {
    const { logStreams: streams, logEntries: entries, logCursors: cursors } = ctx.tables;
    this.space = binding.space;
    this.q = {
      last: ctx.sql.get(`SELECT last FROM ${streams} WHERE space = ? AND stream = ?`),
      bumpLast: ctx.sql.get(`UPDATE ${streams} SET last = last + ? WHERE space = ? AND stream = ? RETURNING last`),
      newStream: ctx.sql.get(`INSERT INTO ${streams} (space, stream, last) VALUES (?, ?, ?)`),
      insert: ctx.sql.get(`INSERT INTO ${entries} (space, stream, seq, value, at) VALUES (?, ?, ?, ?, ?)`),
      first: ctx.sql.get(`SELECT seq FROM ${entries} WHERE space = ? AND stream = ? AND at > ? ORDER BY seq LIMIT 1`),
      trimThrough: ctx.sql.get(`DELETE FROM ${entries} WHERE space = ? AND stream = ? AND seq <= ?`),
      trimBefore: ctx.sql.get(`DELETE FROM ${entries} WHERE space = ? AND stream = ? AND seq < ?`),
      entries: ctx.sql.get(
        `SELECT seq, value, at FROM ${entries} WHERE space = ? AND stream = ? AND seq > ? AND at > ? ORDER BY seq LIMIT ?`,
      ),
      cursor: ctx.sql.get(`SELECT seq FROM ${cursors} WHERE space = ? AND stream = ? AND consumer = ?`),
      commit: ctx.sql.get(
        `INSERT INTO ${cursors} (space, stream, consumer, seq) VALUES (?, ?, ?, ?) ON CONFLICT (space, stream, consumer) DO UPDATE SET seq = excluded.seq`,
      ),
      // The stream rows, with their last sequences, stay: sequences go on after a projection's reset.
      clear: ctx.sql.get(`DELETE FROM ${entries} WHERE space = ?`),
    };
    this.cursors = new ProjectionCursors(ctx.sql, ctx.tables);
  }

  private last(stream: string): number {
    return (this.q.last.get(this.space, stream) as { last: number } | undefined)?.last ?? 0;
  }

  /** Entries appended at or before this instant are past the age limit (no limit: before any instant). */
  private cutoff(now: number): number {
    const maxAge = this.binding.retention?.maxAgeMs;
    return maxAge === undefined ? Number.MIN_SAFE_INTEGER : now - maxAge;
  }

  /** The oldest retained sequence, or null. */
  private first(stream: string, cutoff: number): number | null {
    return (this.q.first.get(this.space, stream, cutoff) as { seq: number } | undefined)?.seq ?? null;
  }

  async append(stream: string, values: readonly string[]): Promise<number[]> {
    if (values.length === 0) return [];
    return this.ctx.exec.write(() => {
      const seqs = this.appendIn(stream, values, this.ctx.clock.now());
      this.ctx.exec.markChanged();
      return seqs;
    });
  }

  /** Appends `values` (at least one) to `stream` and applies retention; runs inside a write. */
  private appendIn(stream: string, values: readonly string[], at: number): number[] {
    const n = values.length;
    const bumped = this.q.bumpLast.get(n, this.space, stream) as { last: number } | undefined;
    if (!bumped) this.q.newStream.run(this.space, stream, n);
    const last = bumped?.last ?? n;
    const first = last - n + 1;
    const seqs = values.map((value, i) => {
      this.q.insert.run(this.space, stream, first + i, value, at);
      return first + i;
    });
    this.trim(stream, last, at);
    return seqs;
  }

  /** Applies retention to `stream` after an append that reached `last`. */
  private trim(stream: string, last: number, now: number): void {
    const r = this.binding.retention;
    if (!r) return;
    if (r.maxEntries !== undefined && last > r.maxEntries)
      this.q.trimThrough.run(this.space, stream, last - r.maxEntries);
    if (r.maxAgeMs !== undefined)
      this.q.trimBefore.run(this.space, stream, this.first(stream, this.cutoff(now)) ?? last + 1);
  }

  /** Entries after `after`, or LogTrimmedError when some of them are gone. Runs inside a read. */
  private slice(stream: string, after: number, limit: number): LogEntry[] {
    const last = this.last(stream);
    if (after >= last) return [];
    const cutoff = this.cutoff(this.ctx.clock.now());
    const trimmed = trimmedRead(stream, after, this.first(stream, cutoff), last);
    if (trimmed) throw trimmed;
    return (this.q.entries.all(this.space, stream, after, cutoff, limit) as EntryRow[]).map(toEntry);
  }

  async read(stream: string, options: LogReadOptions): Promise<LogEntry[]> {
    return this.ctx.exec.read(() => this.slice(stream, options.after, options.limit));
  }

  async info(stream: string): Promise<{ first: number | null; last: number }> {
    return this.ctx.exec.read(() => ({
      first: this.first(stream, this.cutoff(this.ctx.clock.now())),
      last: this.last(stream),
    }));
  }

  private cursor(stream: string, consumer: string): number {
    return (this.q.cursor.get(this.space, stream, consumer) as { seq: number } | undefined)?.seq ?? 0;
  }

  async getCursor(stream: string, consumer: string): Promise<number> {
    return this.ctx.exec.read(() => this.cursor(stream, consumer));
  }

  async commitCursor(
    stream: string,
    consumer: string,
    seq: number,
    options: { readonly reset?: boolean } = {},
  ): Promise<void> {
    return this.ctx.exec.write(() => {
      const current = this.cursor(stream, consumer);
      const refused = cursorCommitError(stream, consumer, seq, current, this.last(stream), options.reset === true);
      if (refused) throw refused;
      this.q.commit.run(this.space, stream, consumer, seq);
    });
  }

  /**
   * Tails the stream by reading it: each `next()` serves the next fetched entry, fetches more after
   * the last delivered sequence when none is left, and otherwise waits for a wake-up (a commit in this
   * process, or a change another process made, seen by polling). Trimmed entries become one resync.
   */
  async subscribe(stream: string, options: { readonly after: number }): Promise<Subscription<LogEvent>> {
    const ctx = this.ctx;
    const store = this;
    let position = options.after;
    const fetch = (): LogEvent[] => {
      const last = store.last(stream);
      if (position >= last) return [];
      const oldest = store.first(stream, store.cutoff(ctx.clock.now()));
      if (trimmedRead(stream, position, oldest, last)) {
        const event = trimmedResync(position, oldest, last);
        position = event.toSeq;
        return [event];
      }
      const entries = store.slice(stream, position, FETCH);
      position = entries.at(-1)?.seq ?? position;
      return entries.map((entry): LogEvent => ({ type: 'entry', entry }));
    };
    // Commits of this process wake it at once; the feed's polling sees other processes' commits.
    let stopListening = () => {};
    let untrack = () => {};
    const { subscription, wake } = createPullSubscription<LogEvent>(
      () => (ctx.lifecycle.isOpen ? ctx.exec.read(fetch) : []),
      {
        onClose: () => {
          stopListening();
          untrack();
        },
      },
    );
    stopListening = ctx.feed.listen(wake);
    untrack = ctx.lifecycle.track(() => subscription.close());
    return subscription;
  }

  /**
   * One write transaction (the executor's, so a failure rolls all of it back): the cursor's
   * compare-and-set before any write, then with `reset` every entry of the surface's streams goes
   * (their stream rows keep the last sequence, so sequences go on and are never reused), then the
   * appends (each stream's in their order, with its next sequences, retention applied), then the
   * new cursor (PRJ-003).
   */
  async applyProjection(appends: readonly ProjectionLogAppend[], commit: ProjectionCommit): Promise<void> {
    return this.ctx.exec.write(() => {
      this.cursors.check(this.binding.surfaceId, this.space, commit);
      if (commit.reset) this.q.clear.run(this.space);
      // Entries of different streams have no order between them: one append per stream keeps each stream's.
      const byStream = new Map<string, string[]>();
      for (const a of appends) {
        const values = byStream.get(a.stream);
        if (values) values.push(a.value);
        else byStream.set(a.stream, [a.value]);
      }
      const at = this.ctx.clock.now();
      for (const [stream, values] of byStream) this.appendIn(stream, values, at);
      this.cursors.set(this.space, commit.to);
      if (commit.reset || byStream.size > 0) this.ctx.exec.markChanged();
    });
  }

  async projectionCursor(): Promise<number> {
    return this.ctx.exec.read(() => this.cursors.read(this.space));
  }
}
