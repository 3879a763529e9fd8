import type Database from 'better-sqlite3';
import { BackendIncompatibleError } from '@stateproof/core/adapter-kit';
import { namespaceSchemaV1 } from './namespace-schema-v1.js';
import { namespaceSchemaV2 } from './namespace-schema-v2.js';
import { applyNamespaceSchemaV3 } from './namespace-schema-v3.js';
import type { NamespaceTables } from './namespace-tables.js';

/** One step of a namespace's schema: from `version - 1` to `version`. */
export interface NamespaceMigration {
  /** The schema version the step brings a namespace to. */
  readonly version: number;
  /** What the step changes, in words. */
  readonly description: string;
  /** Applies the step inside the caller's write transaction; `now` is the migration's instant by the adapter's clock. */
  up(db: Database.Database, tables: NamespaceTables, now: number): void;
}

/** Every step, in order. Append a step to change the schema; never edit a released one. */
export const NAMESPACE_MIGRATIONS: readonly NamespaceMigration[] = [
  { version: 1, description: 'tables of every surface kind', up: (db, t) => db.exec(namespaceSchemaV1(t)) },
  { version: 2, description: 'the cursors of derived projections', up: (db, t) => db.exec(namespaceSchemaV2(t)) },
  { version: 3, description: 'retention: when each task finished, prune indexes', up: applyNamespaceSchemaV3 },
];

/** What {@link migrateNamespace} did. */
export interface MigrationOutcome {
  /** Schema version before (0 for a new namespace). */
  readonly from: number;
  /** Schema version after. */
  readonly to: number;
}

/**
 * Brings `namespace` to the newest schema, inside the caller's write transaction (so that several
 * processes opening one file at once migrate it exactly once): creates its tables when it is new,
 * applies the missing steps when it is older, and refuses a namespace written by a newer adapter
 * with STATEPROOF_BACKEND_INCOMPATIBLE, touching nothing.
 */
export function migrateNamespace(
  db: Database.Database,
  namespace: string,
  tables: NamespaceTables,
  now: number,
  migrations: readonly NamespaceMigration[] = NAMESPACE_MIGRATIONS,
): MigrationOutcome {
  const latest = migrations.at(-1)?.version ?? 0;
  const row = db
    .prepare('SELECT prefix, schema_version FROM stateproof_namespaces WHERE namespace = ?')
    .get(namespace) as { prefix: string; schema_version: number } | undefined;
  const from = row?.schema_version ?? 0;
  if (row && row.prefix !== tables.prefix) {
    throw new BackendIncompatibleError(
      `namespace "${namespace}" is stored under table prefix ${row.prefix}, not ${tables.prefix}`,
      {
        hint: 'The file was written by an incompatible adapter version; open it with that version, or use another namespace.',
      },
    );
  }
  if (from > latest) {
    throw new BackendIncompatibleError(
      `namespace "${namespace}" has schema version ${from}; this adapter knows versions up to ${latest}`,
      {
        details: { namespace, version: from, supported: latest },
        hint: 'A newer @stateproof/adapter-sqlite wrote this file: upgrade the adapter in this process; nothing was changed.',
      },
    );
  }
  for (const m of migrations) if (m.version > from) m.up(db, tables, now);
  if (!row) {
    db.prepare(
      'INSERT INTO stateproof_namespaces (namespace, prefix, schema_version, created_at, migrated_at) VALUES (?, ?, ?, ?, ?)',
    ).run(namespace, tables.prefix, latest, now, now);
  } else if (from < latest) {
    db.prepare('UPDATE stateproof_namespaces SET schema_version = ?, migrated_at = ? WHERE namespace = ?').run(
      latest,
      now,
      namespace,
    );
  }
  return { from, to: latest };
}
