import {
  createPullSubscription,
  cursorCommitError,
  trimmedRead,
  trimmedResync,
  type Clock,
  type LogEntry,
  type LogEvent,
  type LogReadOptions,
  type LogStore,
  type Subscription,
  type LogBinding,
  type AdapterLifecycle,
  projectionConflict,
  type ProjectionCommit,
  type ProjectionLogAppend,
} from '@stateproof/core/adapter-kit';

/** One stream: its retained entries (contiguous, ascending) and the last sequence ever assigned. */
interface Stream {
  entries: LogEntry[];
  last: number;
  /** Wakes subscribers waiting for the next append. */
  waiters: Set<() => void>;
}

/** The shared state of one log surface. */
export interface LogSpace {
  readonly streams: Map<string, Stream>;
  readonly cursors: Map<string, number>;
  /** The committed cursor of a derived projection held in this space. */
  projectionCursor: number;
}

/** A new, empty log space. */
export function newLogSpace(): LogSpace {
  return { streams: new Map(), cursors: new Map(), projectionCursor: 0 };
}

/** Logs in memory (spec/contract/log.md). */
export class MemoryLogStore implements LogStore {
  constructor(
    protected readonly space: LogSpace,
    protected readonly binding: LogBinding,
    protected readonly clock: Clock,
    protected readonly lifecycle: AdapterLifecycle,
  ) {}

  protected stream(name: string): Stream {
    let s = this.space.streams.get(name);
    if (!s) {
      s = { entries: [], last: 0, waiters: new Set() };
      this.space.streams.set(name, s);
    }
    return s;
  }

  /** Applies retention: at most maxEntries, none older than maxAgeMs. */
  protected trim(s: Stream): void {
    const r = this.binding.retention;
    if (!r) return;
    if (r.maxEntries !== undefined && s.entries.length > r.maxEntries)
      s.entries.splice(0, s.entries.length - r.maxEntries);
    if (r.maxAgeMs !== undefined) {
      const cutoff = this.clock.now() - r.maxAgeMs;
      let n = 0;
      while (n < s.entries.length && (s.entries[n] as LogEntry).at <= cutoff) n++;
      if (n > 0) s.entries.splice(0, n);
    }
  }

  /** The sequence for the next entry of `s`. */
  protected nextSeq(s: Stream): number {
    return s.last + 1;
  }

  async append(stream: string, values: readonly string[]): Promise<number[]> {
    const s = this.stream(stream);
    const at = this.clock.now();
    const seqs: number[] = [];
    for (const value of values) {
      const seq = this.nextSeq(s);
      s.last = seq;
      s.entries.push({ seq, value, at });
      seqs.push(seq);
    }
    this.trim(s);
    for (const wake of [...s.waiters]) wake();
    return seqs;
  }

  /** Entries after `after`, or the trimmed error when some of them are gone. */
  protected slice(s: Stream, stream: string, after: number, limit: number): LogEntry[] {
    this.trim(s);
    if (after >= s.last) return [];
    const oldest = s.entries[0]?.seq ?? null;
    const trimmed = trimmedRead(stream, after, oldest, s.last);
    if (trimmed) throw trimmed;
    const start = after + 1 - (oldest as number);
    return s.entries.slice(start, start + limit);
  }

  async read(stream: string, options: LogReadOptions): Promise<LogEntry[]> {
    return this.slice(this.stream(stream), stream, options.after, options.limit);
  }

  async info(stream: string): Promise<{ first: number | null; last: number }> {
    const s = this.stream(stream);
    this.trim(s);
    return { first: s.entries[0]?.seq ?? null, last: s.last };
  }

  protected cursorKey(stream: string, consumer: string): string {
    return `${stream}\u0000${consumer}`;
  }

  async getCursor(stream: string, consumer: string): Promise<number> {
    return this.space.cursors.get(this.cursorKey(stream, consumer)) ?? 0;
  }

  async commitCursor(
    stream: string,
    consumer: string,
    seq: number,
    options: { readonly reset?: boolean } = {},
  ): Promise<void> {
    const key = this.cursorKey(stream, consumer);
    const current = this.space.cursors.get(key) ?? 0;
    const refused = cursorCommitError(stream, consumer, seq, current, this.stream(stream).last, options.reset === true);
    if (refused) throw refused;
    this.space.cursors.set(key, seq);
  }

  async subscribe(stream: string, options: { readonly after: number }): Promise<Subscription<LogEvent>> {
    const s = this.stream(stream);
    let position = options.after;
    // One event per fetch, computed when asked, so that trimming between reads shows as a resync.
    const fetch = (): LogEvent[] => {
      this.trim(s);
      if (s.last <= position) return [];
      const oldest = s.entries[0]?.seq ?? null;
      if (trimmedRead(stream, position, oldest, s.last)) {
        const event = trimmedResync(position, oldest, s.last);
        position = event.toSeq;
        return [event];
      }
      const entry = s.entries[position + 1 - (oldest as number)] as LogEntry;
      position = entry.seq;
      return [{ type: 'entry', entry }];
    };
    let untrack = () => {};
    const { subscription, wake } = createPullSubscription<LogEvent>(fetch, {
      onClose: () => {
        s.waiters.delete(wake);
        untrack();
      },
    });
    s.waiters.add(wake);
    untrack = this.lifecycle.track(() => subscription.close());
    return subscription;
  }

  /** One synchronous step: the cursor check, the emptying, the appends and the new cursor, all or nothing (PRJ-003). */
  async applyProjection(appends: readonly ProjectionLogAppend[], commit: ProjectionCommit): Promise<void> {
    const conflict = projectionConflict(this.binding.surfaceId, commit, this.space.projectionCursor);
    if (conflict) throw conflict;
    // A rebuild empties every stream; their sequences go on from where they were (never reused).
    if (commit.reset) for (const s of this.space.streams.values()) s.entries.length = 0;
    const at = this.clock.now();
    const touched = new Set<Stream>();
    for (const a of appends) {
      const s = this.stream(a.stream);
      const seq = this.nextSeq(s);
      s.last = seq;
      s.entries.push({ seq, value: a.value, at });
      touched.add(s);
    }
    this.space.projectionCursor = commit.to;
    for (const s of touched) {
      this.trim(s);
      for (const wake of [...s.waiters]) wake();
    }
  }

  async projectionCursor(): Promise<number> {
    return this.space.projectionCursor;
  }
}
