import type { Client } from 'pg';
import { BackendIncompatibleError } from '@stateproof/core/adapter-kit';
import { quoteIdentifier } from '../db/sql-names.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

/** First key of the advisory lock that serialises migrations ("sp" + "mi" in ASCII); the second is the schema's hash. */
const MIGRATION_LOCK = 0x7370_6d69;

/** What {@link migrate} did. */
export interface MigrationReport {
  /** Schema version before (0 when the schema was new or empty). */
  readonly from: number;
  /** Schema version after. */
  readonly to: number;
}

async function currentVersion(client: Client, schema: string): Promise<number | null> {
  const q = quoteIdentifier(schema);
  const { rows } = await client.query<{ exists: boolean }>(`select to_regclass($1) is not null as exists`, [
    `${q}.schema_migrations`,
  ]);
  if (!rows[0]?.exists) return null;
  const v = await client.query<{ version: number | null }>(
    `select max(version) as version from ${q}.schema_migrations`,
  );
  return v.rows[0]?.version ?? 0;
}

function newer(schema: string, found: number): BackendIncompatibleError {
  return new BackendIncompatibleError(
    `schema "${schema}" is at version ${found}, written by a newer stateproof Postgres adapter; this one knows up to version ${SCHEMA_VERSION}`,
    {
      details: { schema, found, supported: SCHEMA_VERSION },
      hint: 'Upgrade @stateproof/adapter-postgres in this process, or use another namespace.',
    },
  );
}

/**
 * Creates and migrates the adapter's schema, safely when several processes open it at once: the
 * work runs in one transaction under an advisory lock keyed by the schema, so the second process
 * waits and then finds everything done (a lost connection releases the lock with it). A schema at the current version costs one query and no
 * lock. Refuses (STATEPROOF_BACKEND_INCOMPATIBLE) a schema of a newer version, and a non-empty schema
 * that stateproof did not create, rather than touch it.
 */
export async function migrate(client: Client, schema: string, adapterVersion: string): Promise<MigrationReport> {
  const fast = await currentVersion(client, schema);
  if (fast === SCHEMA_VERSION) return { from: fast, to: fast };
  if (fast !== null && fast > SCHEMA_VERSION) throw newer(schema, fast);

  const q = quoteIdentifier(schema);
  // A session lock, taken before the transaction: a transaction that starts after the lock was
  // granted sees the catalog as the previous holder committed it (a transaction-level lock taken
  // inside it would leave this backend's catalog caches as they were before the wait).
  await client.query('select pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK, schema]);
  try {
    await client.query('begin');
    try {
      let from = await currentVersion(client, schema);
      if (from === null) {
        const { rows } = await client.query<{ objects: number }>(
          `select count(*)::integer as objects from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1`,
          [schema],
        );
        if ((rows[0]?.objects ?? 0) > 0) {
          throw new BackendIncompatibleError(`schema "${schema}" holds tables that stateproof did not create`, {
            details: { schema },
            hint: 'Give the adapter a namespace (schema) of its own; stateproof never writes into a schema it does not own.',
          });
        }
        await client.query(`create schema if not exists ${q}`);
        from = 0;
      }
      if (from > SCHEMA_VERSION) throw newer(schema, from);
      for (const m of MIGRATIONS) {
        if (m.version <= from) continue;
        // One round trip for the whole step (the simple protocol runs several statements; none has parameters).
        await client.query(m.sql(q).join(';\n'));
        await client.query(
          `insert into ${q}.schema_migrations (version, description, adapter_version) values ($1, $2, $3)`,
          [m.version, m.description, adapterVersion],
        );
      }
      await client.query('commit');
      return { from, to: SCHEMA_VERSION };
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
  } finally {
    await client.query('select pg_advisory_unlock($1, hashtext($2))', [MIGRATION_LOCK, schema]).catch(() => undefined);
  }
}
