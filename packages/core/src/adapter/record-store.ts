import type { ProjectionCommit, ProjectionRecordWrite } from './projection-commit.js';

/** A stored record as the adapter returns it. Values are encoded strings (core owns the codec). */
export interface RecordEntry {
  /** The key. */
  readonly key: string;
  /** Encoded value. */
  readonly value: string;
  /** Backend-owned version: a positive integer, strictly increasing per key, never reused (not after delete, not after a crash). */
  readonly version: number;
  /** When the record expires (epoch ms), or null when it does not. */
  readonly expiresAt: number | null;
}

/** Options of {@link RecordStore.put}. */
export interface RecordPutOptions {
  /** Compare-and-set: write only when the current version is this one. */
  readonly ifVersion?: number;
  /** Compare-and-set: write only when no live (unexpired) record exists. */
  readonly ifAbsent?: boolean;
  /** Time to live from now; omitted means the surface default, if any. */
  readonly ttlMs?: number;
}

/** Options of {@link RecordStore.list}. */
export interface RecordListOptions {
  /** Only keys starting with this string ('' for all). Matched literally, never as a pattern. */
  readonly prefix: string;
  /** Keyset cursor: only keys strictly greater than this one (in UTF-8 byte order). */
  readonly after?: string;
  /** At most this many entries (1..1000). */
  readonly limit: number;
}

/**
 * Keyed JSON values (spec/contract/record.md). Expired records are invisible to every operation.
 * Conflicts throw VersionConflictError carrying the current version (null when absent).
 */
export interface RecordStore {
  /** The live record under `key`, or null. */
  get(key: string): Promise<RecordEntry | null>;
  /** Writes `value`; returns the new version. Throws VersionConflictError when a compare-and-set condition fails. */
  put(
    key: string,
    value: string,
    options?: RecordPutOptions,
  ): Promise<{
    /** The new version. */
    version: number;
    /** When the record expires (epoch ms), or null when it does not. */
    expiresAt: number | null;
  }>;
  /**
   * Deletes `key`. Returns false when there was no live record (and no `ifVersion` was given).
   * With `ifVersion`, a different or missing current version throws VersionConflictError.
   */
  delete(key: string, options?: { readonly ifVersion?: number }): Promise<boolean>;
  /**
   * Live records whose key starts with `prefix` and is greater than `after`, ascending by key in
   * UTF-8 byte order, at most `limit`; `more` says whether another page may follow. Paging with the
   * last key as `after` never skips and never repeats a key that exists unchanged for the whole walk.
   */
  list(options: RecordListOptions): Promise<{
    /** The page, ascending by key. */
    entries: RecordEntry[];
    /** Whether another page may follow. */
    more: boolean;
  }>;
  /**
   * Derived projections only (an adapter that claims `derived-projection` for records implements
   * it): applies `writes` in order and moves the projection's cursor from `commit.from` to
   * `commit.to`, all in one atomic step, or throws ProjectionConflictError and applies nothing when
   * the committed cursor is not `commit.from` (spec/contract/classes.md, PRJ-003).
   */
  applyProjection?(writes: readonly ProjectionRecordWrite[], commit: ProjectionCommit): Promise<void>;
  /** Derived projections only: the committed cursor of the projection (0 before the first commit). */
  projectionCursor?(): Promise<number>;
  /**
   * Removes at most `limit` expired records (already invisible, REC-018: this only reclaims space)
   * and returns how many; fewer than `limit` means nothing else is due. Optional: a backend that
   * expires keys itself may leave it out. Versions must stay unique after a prune (REC-005).
   * Maintenance calls it in small batches.
   */
  prune?(limit: number): Promise<number>;
}
