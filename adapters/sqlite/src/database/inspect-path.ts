import { accessSync, closeSync, constants, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BackendCorruptError, BackendReadOnlyError, InvalidOptionsError } from '@stateproof/core/adapter-kit';

/** The first 16 bytes of every SQLite database file. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\u0000', 'latin1');

/** What the file system says about a database path before SQLite touches it. */
export interface InspectedPath {
  /** Absolute path. */
  readonly file: string;
  /** Whether a non-empty file is there already. */
  readonly exists: boolean;
}

function writable(path: string): string | undefined {
  try {
    accessSync(path, constants.W_OK);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'not writable';
  }
}

/**
 * Checks a database path with the file system alone, before SQLite opens (and could write to) it:
 * the directory must exist and be writable (SQLite creates its journal files beside the database),
 * an existing file must be writable and must start with the SQLite header. A file that is not SQLite
 * is STATEPROOF_BACKEND_CORRUPT and a read-only one STATEPROOF_BACKEND_READ_ONLY; neither is touched.
 */
export function inspectPath(path: string): InspectedPath {
  const file = resolve(path);
  const dir = dirname(file);
  if (!existsSync(dir)) {
    throw new InvalidOptionsError(`the directory of ${file} does not exist`, {
      path: 'path',
      hint: `Create ${dir} first, or choose another path.`,
    });
  }
  let size = 0;
  if (existsSync(file)) {
    const st = statSync(file);
    if (!st.isFile())
      throw new InvalidOptionsError(`${file} is not a regular file`, {
        path: 'path',
        hint: 'Point path at a database file, not a directory or device.',
      });
    size = st.size;
    if (size > 0) {
      const head = Buffer.alloc(SQLITE_HEADER.length);
      const fd = openSync(file, 'r');
      let n: number;
      try {
        n = readSync(fd, head, 0, head.length, 0);
      } finally {
        closeSync(fd);
      }
      if (n < SQLITE_HEADER.length || !head.equals(SQLITE_HEADER)) {
        throw new BackendCorruptError(`${file} is not a SQLite database: it does not start with the SQLite header`, {
          details: { file, bytes: size },
          hint: 'Check that path names the right file; if it is a damaged database, restore it from a backup. It was not modified.',
        });
      }
    }
    const denied = writable(file);
    if (denied) {
      throw new BackendReadOnlyError(`${file} cannot be written (${denied})`, {
        details: { file, reason: denied },
        hint: 'Give this process write access to the file, or choose a writable path; it was not modified.',
      });
    }
  }
  const deniedDir = writable(dir);
  if (deniedDir) {
    throw new BackendReadOnlyError(
      `the directory ${dir} cannot be written (${deniedDir}); SQLite creates its journal files beside the database`,
      {
        details: { directory: dir, reason: deniedDir },
        hint: 'Give this process write access to the directory, or choose a database path in a writable one.',
      },
    );
  }
  return { file, exists: size > 0 };
}
