import Database from 'better-sqlite3';
import { BackendCorruptError, BackendIncompatibleError, BackendUnavailableError } from '@stateproof/core/adapter-kit';
import { isStateproofError } from '@stateproof/spec';
import { APPLICATION_ID, FILE_SCHEMA_SQL, FILE_SCHEMA_VERSION } from '../schema/file-schema.js';
import { migrateNamespace, NAMESPACE_MIGRATIONS } from '../schema/namespace-migrations.js';
import { namespaceTables, type NamespaceTables } from '../schema/namespace-tables.js';
import type { JournalMode, ResolvedSqliteOptions, SynchronousLevel } from '../sqlite-options.js';
import { inspectPath } from './inspect-path.js';
import { mapSqliteError, sqliteCode } from './sqlite-error-mapping.js';

/** An open, checked and migrated database connection for one namespace. */
export interface OpenedDatabase {
  readonly db: Database.Database;
  /** Absolute path, or `:memory:`. */
  readonly file: string;
  readonly tables: NamespaceTables;
  /** The journal mode SQLite actually uses (it may refuse the one asked for, e.g. WAL in memory). */
  readonly journalMode: string;
  /** The synchronous level of this connection, as SQLite reports it. */
  readonly synchronous: SynchronousLevel;
  /** Whether this open created the file's stateproof schema. */
  readonly created: boolean;
}

const SYNCHRONOUS_BY_NUMBER: readonly SynchronousLevel[] = ['off', 'normal', 'full', 'extra'];

interface FileState {
  readonly applicationId: number;
  readonly userVersion: number;
  readonly objects: number;
}

function fileState(db: Database.Database): FileState {
  return {
    applicationId: db.pragma('application_id', { simple: true }) as number,
    userVersion: db.pragma('user_version', { simple: true }) as number,
    // Reading the schema reads page 1: a file that is not a database, or whose schema is damaged, fails here.
    objects: (db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number }).n,
  };
}

/** Refuses files stateproof did not write, or wrote with a newer file schema; never writes to them. */
function checkFile(state: FileState, file: string): 'fresh' | 'ours' {
  if (state.applicationId === APPLICATION_ID) {
    if (state.userVersion > FILE_SCHEMA_VERSION) {
      throw new BackendIncompatibleError(
        `${file} has stateproof file schema version ${state.userVersion}; this adapter knows versions up to ${FILE_SCHEMA_VERSION}`,
        {
          details: { file, version: state.userVersion, supported: FILE_SCHEMA_VERSION },
          hint: 'A newer @stateproof/adapter-sqlite wrote this file: upgrade the adapter in this process; nothing was changed.',
        },
      );
    }
    return 'ours';
  }
  if (state.applicationId !== 0 || state.objects > 0) {
    throw new BackendIncompatibleError(
      `${file} is a SQLite database of another application (application_id ${state.applicationId}, ${state.objects} schema objects), not a stateproof database`,
      {
        details: { file, applicationId: state.applicationId, objects: state.objects },
        hint: 'stateproof only writes to files it created: give it a path of its own (a new file is created there). Nothing was changed.',
      },
    );
  }
  return 'fresh';
}

function applyPragmas(
  db: Database.Database,
  o: ResolvedSqliteOptions,
): { journalMode: string; synchronous: SynchronousLevel } {
  let journalMode: string;
  try {
    journalMode = String(
      db.pragma(`journal_mode = ${o.journalMode satisfies JournalMode}`, { simple: true }),
    ).toLowerCase();
  } catch (error) {
    // Another process holds the file in WAL mode and a switch away from it needs it alone: keep what it is.
    if (sqliteCode(error) !== 'SQLITE_BUSY') throw error;
    journalMode = String(db.pragma('journal_mode', { simple: true })).toLowerCase();
  }
  db.pragma(`synchronous = ${o.synchronous satisfies SynchronousLevel}`);
  if (process.platform === 'darwin' && (o.synchronous === 'full' || o.synchronous === 'extra')) {
    // fsync() on macOS does not flush the drive's cache; F_FULLFSYNC does.
    db.pragma('fullfsync = ON');
    db.pragma('checkpoint_fullfsync = ON');
  }
  db.pragma('foreign_keys = OFF');
  db.pragma('trusted_schema = OFF');
  const synchronous = SYNCHRONOUS_BY_NUMBER[db.pragma('synchronous', { simple: true }) as number] ?? o.synchronous;
  return { journalMode, synchronous };
}

/** True when the namespace exists at the newest schema, so that opening needs no write at all. */
function upToDate(db: Database.Database, namespace: string, state: FileState): boolean {
  if (state.applicationId !== APPLICATION_ID || state.userVersion !== FILE_SCHEMA_VERSION) return false;
  const row = db.prepare('SELECT schema_version FROM stateproof_namespaces WHERE namespace = ?').get(namespace) as
    { schema_version: number } | undefined;
  return row?.schema_version === NAMESPACE_MIGRATIONS.at(-1)?.version;
}

/**
 * Opens the database file for `options.namespace`: inspects the path (not SQLite, read-only), opens
 * the connection, refuses foreign and newer files before anything is written, sets the journal mode
 * and synchronous level, then creates or migrates the file and namespace schema in one `BEGIN
 * IMMEDIATE` transaction, so that processes opening the file at once migrate it exactly once.
 */
export function openDatabase(o: ResolvedSqliteOptions, now: number): OpenedDatabase {
  const memory = o.path === ':memory:';
  const file = memory ? ':memory:' : inspectPath(o.path).file;
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: o.busyTimeoutMs });
  } catch (error) {
    throw isStateproofError(error)
      ? error
      : new BackendUnavailableError(`cannot open ${file}: ${(error as Error).message}`, {
          cause: error,
          retryable: false,
        });
  }
  try {
    const state = fileState(db);
    checkFile(state, file);
    if (state.applicationId === 0 && state.objects === 0) db.pragma("encoding = 'UTF-8'");
    const { journalMode, synchronous } = applyPragmas(db, o);
    const tables = namespaceTables(o.namespace);
    let created = false;
    if (!upToDate(db, o.namespace, state)) {
      db.exec('BEGIN IMMEDIATE');
      try {
        // Another process may have initialised the file between the check above and the lock.
        const locked = fileState(db);
        if (checkFile(locked, file) === 'fresh') {
          db.pragma(`application_id = ${APPLICATION_ID}`);
          db.exec(FILE_SCHEMA_SQL);
          db.pragma(`user_version = ${FILE_SCHEMA_VERSION}`);
          db.prepare('INSERT INTO stateproof_meta (key, value) VALUES (?, ?), (?, ?)').run(
            'format',
            'stateproof-sqlite',
            'created_at',
            new Date(now).toISOString(),
          );
          created = true;
        }
        migrateNamespace(db, o.namespace, tables, now);
        db.exec('COMMIT');
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    }
    const encoding = String(db.pragma('encoding', { simple: true }));
    if (encoding !== 'UTF-8') {
      throw new BackendCorruptError(`${file} uses the text encoding ${encoding}; stateproof databases are UTF-8`, {
        hint: 'The file was not created by stateproof; restore it or choose another path.',
      });
    }
    return { db, file, tables, journalMode, synchronous, created };
  } catch (error) {
    db.close();
    throw mapSqliteError(error, `cannot open ${file}`);
  }
}
