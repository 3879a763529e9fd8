import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { BackendIncompatibleError } from '@stateproof/core/adapter-kit';
import { mapSqliteError } from '../database/sqlite-error-mapping.js';
import { inspectPath } from '../database/inspect-path.js';
import { APPLICATION_ID } from './file-schema.js';

/**
 * Removes a namespace from a database file: drops its tables and forgets it, in one transaction.
 * What the conformance suite's `dispose` does, and what a tenant's deletion needs. A missing file or
 * namespace is a no-op; a file stateproof did not write is refused with STATEPROOF_BACKEND_INCOMPATIBLE.
 * Other processes with the namespace open see their tables vanish: close them first.
 */
export function dropSqliteNamespace(options: {
  readonly path: string;
  readonly namespace: string;
  readonly busyTimeoutMs?: number;
}): {
  /** How many tables were dropped. */
  tables: number;
} {
  if (options.path === ':memory:' || !existsSync(resolve(options.path))) return { tables: 0 };
  const { file, exists } = inspectPath(options.path);
  if (!exists) return { tables: 0 };
  const db = new Database(file, { timeout: options.busyTimeoutMs ?? 5000 });
  try {
    if (db.pragma('application_id', { simple: true }) !== APPLICATION_ID) {
      throw new BackendIncompatibleError(`${file} is not a stateproof database; nothing was dropped`, {
        hint: 'Check the path.',
      });
    }
    db.exec('BEGIN IMMEDIATE');
    try {
      const row = db.prepare('SELECT prefix FROM stateproof_namespaces WHERE namespace = ?').get(options.namespace) as
        { prefix: string } | undefined;
      let tables = 0;
      if (row) {
        const names = (
          db
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, length(?)) = ?")
            .all(row.prefix, row.prefix) as Array<{ name: string }>
        ).map((r) => r.name);
        // Names come from sqlite_master and match the derived prefix ([a-z0-9_]); quoted anyway.
        for (const name of names) db.exec(`DROP TABLE "${name.replaceAll('"', '""')}"`);
        db.prepare('DELETE FROM stateproof_namespaces WHERE namespace = ?').run(options.namespace);
        tables = names.length;
      }
      db.exec('COMMIT');
      return { tables };
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  } catch (error) {
    throw mapSqliteError(error, `cannot drop namespace "${options.namespace}" of ${file}`);
  } finally {
    db.close();
  }
}
