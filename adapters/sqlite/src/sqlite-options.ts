import {
  InvalidOptionsError,
  optionalInt,
  optionObject,
  validateKey,
  type AdapterTestHooks,
  type Clock,
} from '@stateproof/core/adapter-kit';

/** SQLite `PRAGMA synchronous` levels, weakest first. */
export const SYNCHRONOUS_LEVELS = ['off', 'normal', 'full', 'extra'] as const;
/** How hard SQLite syncs on commit (`PRAGMA synchronous`). */
export type SynchronousLevel = (typeof SYNCHRONOUS_LEVELS)[number];

/** SQLite `PRAGMA journal_mode` values. */
export const JOURNAL_MODES = ['wal', 'delete', 'truncate', 'persist', 'memory', 'off'] as const;
/** How SQLite journals transactions (`PRAGMA journal_mode`). */
export type JournalMode = (typeof JOURNAL_MODES)[number];

/**
 * Options of {@link sqliteAdapter}. Everything but `clock`, `random` and `testHooks` is plain data, so a parent
 * process can hand the same options to a child process that opens the same file.
 */
export interface SqliteAdapterOptions {
  /** The database file. Created when missing (its directory must exist); `:memory:` gives a private, non-durable database. */
  readonly path: string;
  /** Isolation namespace: its tables are separate from every other namespace's in the same file (default `default`). */
  readonly namespace?: string;
  /** Time source for TTLs, leases and retention; pass a ManualClock in tests (default: the system clock). */
  readonly clock?: Clock;
  /** `PRAGMA synchronous` (default `full`: every commit is synced, so an acknowledged write survives power loss). */
  readonly synchronous?: SynchronousLevel;
  /** `PRAGMA journal_mode` (default `wal`: readers never block the writer, and processes on one host share the file). */
  readonly journalMode?: JournalMode;
  /** How long a write waits for another process's transaction before failing with the retryable STATEPROOF_BACKEND_UNAVAILABLE (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /** How often subscriptions look for commits of other processes, in ms (default 50); commits of this process wake them at once. */
  readonly pollIntervalMs?: number;
  /** Randomness of backoff jitter, in [0, 1) (default Math.random). */
  readonly random?: () => number;
  /** Test seams for the conformance suite (`beforeLeaseJudgement`, which must return nothing here); production never sets them. */
  readonly testHooks?: AdapterTestHooks;
}

/** Options with every default filled in. */
export interface ResolvedSqliteOptions {
  /** The database file, as given. */
  readonly path: string;
  /** Isolation namespace. */
  readonly namespace: string;
  /** `PRAGMA synchronous`. */
  readonly synchronous: SynchronousLevel;
  /** `PRAGMA journal_mode`. */
  readonly journalMode: JournalMode;
  /** How long a write waits for another process's transaction, in ms. */
  readonly busyTimeoutMs: number;
  /** How often subscriptions look for commits of other processes, in ms. */
  readonly pollIntervalMs: number;
}

const KEYS = [
  'path',
  'namespace',
  'clock',
  'synchronous',
  'journalMode',
  'busyTimeoutMs',
  'pollIntervalMs',
  'random',
  'testHooks',
];

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T, path: string): T {
  if (value === undefined) return fallback;
  const v = typeof value === 'string' ? value.toLowerCase() : value;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new InvalidOptionsError(
      `${path} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value) ?? String(value)}`,
      { path },
    );
  }
  return v as T;
}

/** Checks the options and fills in the defaults; anything malformed is STATEPROOF_INVALID_OPTIONS naming the option. */
export function resolveSqliteOptions(options: unknown): ResolvedSqliteOptions {
  if (options === undefined)
    throw new InvalidOptionsError(
      'sqliteAdapter needs options with a path, e.g. sqliteAdapter({ path: "./state.db" })',
      { path: 'path' },
    );
  const o = optionObject(options, '', KEYS);
  const path = o['path'];
  if (typeof path !== 'string' || path.length === 0 || path.includes('\u0000')) {
    throw new InvalidOptionsError('path must be the database file name, e.g. "./state.db"', {
      path: 'path',
      hint: 'Pass { path } to sqliteAdapter; use ":memory:" for a throwaway database.',
    });
  }
  const namespace = o['namespace'] ?? 'default';
  try {
    validateKey(namespace, 'namespace');
  } catch (error) {
    throw new InvalidOptionsError((error as Error).message, { path: 'namespace' });
  }
  if (o['clock'] !== undefined && typeof (o['clock'] as { now?: unknown } | null)?.now !== 'function') {
    throw new InvalidOptionsError('clock must have a now() method returning epoch milliseconds', { path: 'clock' });
  }
  if (o['random'] !== undefined && typeof o['random'] !== 'function')
    throw new InvalidOptionsError('random must be a function returning a number in [0, 1)', { path: 'random' });
  return {
    path,
    namespace,
    synchronous: oneOf(o['synchronous'], SYNCHRONOUS_LEVELS, 'full', 'synchronous'),
    journalMode: oneOf(o['journalMode'], JOURNAL_MODES, 'wal', 'journalMode'),
    busyTimeoutMs: optionalInt(o['busyTimeoutMs'], 'busyTimeoutMs', { min: 0, max: 600_000 }) ?? 5000,
    pollIntervalMs: optionalInt(o['pollIntervalMs'], 'pollIntervalMs', { min: 5, max: 60_000 }) ?? 50,
  };
}
