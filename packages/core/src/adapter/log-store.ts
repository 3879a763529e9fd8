import type { Subscription } from '../subscription/subscription.js';
import type { ProjectionCommit, ProjectionLogAppend } from './projection-commit.js';

/** One log entry. */
export interface LogEntry {
  /** Backend-assigned sequence: per stream 1, 2, 3, … without gaps, never reused. */
  readonly seq: number;
  /** Encoded value. */
  readonly value: string;
  /** When it was appended (epoch ms, adapter clock). */
  readonly at: number;
}

/** What a log subscription yields. */
export type LogEvent =
  | {
      /** The next entry. */
      readonly type: 'entry';
      /** The entry. */
      readonly entry: LogEntry;
    }
  /** Entries `fromSeq..toSeq` were trimmed by retention before the subscriber read them; delivery resumes after `toSeq`. */
  | {
      /** Entries were skipped. */
      readonly type: 'resync';
      /** Why: retention trimmed them. */
      readonly reason: 'trimmed';
      /** The first skipped sequence. */
      readonly fromSeq: number;
      /** The last skipped sequence. */
      readonly toSeq: number;
    };

/** Options of {@link LogStore.read}. */
export interface LogReadOptions {
  /** Only entries with a sequence greater than this (0 for the beginning). */
  readonly after: number;
  /** At most this many (1..1000). */
  readonly limit: number;
}

/**
 * Append-only streams (spec/contract/log.md). A surface holds many streams, each named by a key.
 * Retention (by count, by age) trims the oldest entries of a stream; a read that would skip trimmed
 * entries throws LogTrimmedError instead of returning a silent gap.
 */
export interface LogStore {
  /** Appends atomically (all or none); returns the assigned sequences, consecutive and ascending. */
  append(stream: string, values: readonly string[]): Promise<number[]>;
  /**
   * Entries with `seq > after`, ascending, at most `limit`. Throws LogTrimmedError (with the oldest
   * retained sequence) when an entry in `after + 1 ..` was trimmed, so the caller never misses one silently.
   */
  read(stream: string, options: LogReadOptions): Promise<LogEntry[]>;
  /** The oldest retained sequence (null when none is retained) and the last sequence ever assigned (0 when none). */
  info(stream: string): Promise<{
    /** The oldest retained sequence; null when none is retained. */
    first: number | null;
    /** The last sequence ever assigned; 0 when none. */
    last: number;
  }>;
  /** The committed cursor of `consumer` on `stream` (0 when never committed). */
  getCursor(stream: string, consumer: string): Promise<number>;
  /**
   * Commits `consumer`'s cursor to `seq`. Moving it backwards throws CursorRegressionError unless
   * `reset` is true; a sequence beyond the last assigned one throws InvalidOptionsError.
   */
  commitCursor(stream: string, consumer: string, seq: number, options?: { readonly reset?: boolean }): Promise<void>;
  /**
   * Tails `stream` from `after`: every entry with a greater sequence, in order, without gaps or
   * duplicates; entries trimmed before delivery produce one `resync` event naming the skipped range.
   */
  subscribe(stream: string, options: { readonly after: number }): Promise<Subscription<LogEvent>>;
  /**
   * Derived projections only (an adapter that claims `derived-projection` for logs implements it):
   * appends `appends` in order (each gets its stream's next sequence) and moves the projection's
   * cursor from `commit.from` to `commit.to`, all in one atomic step, or throws
   * ProjectionConflictError and applies nothing when the committed cursor is not `commit.from`.
   * With `commit.reset` every stream of the surface is emptied first; their sequences go on from
   * where they were (a sequence is never reused).
   */
  applyProjection?(appends: readonly ProjectionLogAppend[], commit: ProjectionCommit): Promise<void>;
  /** Derived projections only: the committed cursor of the projection (0 before the first commit). */
  projectionCursor?(): Promise<number>;
}
