import { BackendCorruptError, BackendReadOnlyError, BackendUnavailableError } from '@stateproof/core/adapter-kit';
import { isStateproofError } from '@stateproof/spec';

/** The SQLite result code of a better-sqlite3 error (`SQLITE_BUSY`, `SQLITE_IOERR_FSYNC`, …), or undefined. */
export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * Turns a driver error into the typed error the contract names. Every mapped case leaves the
 * database unchanged: the executor has rolled the transaction back before this is thrown.
 *
 * - busy or locked (another process held the write lock past the busy timeout), I/O errors and a
 *   full disk are the retryable STATEPROOF_BACKEND_UNAVAILABLE;
 * - a damaged file is STATEPROOF_BACKEND_CORRUPT, a read-only one STATEPROOF_BACKEND_READ_ONLY.
 *
 * Stateproof errors and programming errors pass through unchanged.
 */
export function mapSqliteError(error: unknown, where: string): unknown {
  if (isStateproofError(error)) return error;
  const code = sqliteCode(error);
  if (code === undefined) return error;
  const message = `${where}: ${(error as Error).message} (${code})`;
  const base = code.replace(/^(SQLITE_[A-Z]+).*$/, '$1');
  switch (base) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new BackendUnavailableError(
        `${message}: another connection held the database lock longer than the busy timeout`,
        {
          cause: error,
          hint: 'Retry; if it persists, look for a process holding a long transaction on the file, or raise busyTimeoutMs.',
        },
      );
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return new BackendCorruptError(`${message}: the database file is damaged`, { cause: error });
    case 'SQLITE_READONLY':
      return new BackendReadOnlyError(`${message}: the database cannot be written`, { cause: error });
    case 'SQLITE_FULL':
      return new BackendUnavailableError(`${message}: the disk is full; nothing was written`, {
        cause: error,
        hint: 'Free disk space, then retry.',
      });
    case 'SQLITE_IOERR':
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_PROTOCOL':
      return new BackendUnavailableError(`${message}; nothing was written`, { cause: error });
    default:
      return error;
  }
}
