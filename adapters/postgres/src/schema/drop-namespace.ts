import { BackendIncompatibleError } from '@stateproof/core/adapter-kit';
import { newClient } from '../db/pg-client.js';
import { toStateproofError } from '../db/pg-errors.js';
import { quoteIdentifier, validateSchemaName } from '../db/sql-names.js';
import { DEFAULT_PG_URL, redactUrl } from '../postgres-options.js';

/**
 * Drops a namespace's schema and everything in it (what a test or a conformance run does when it
 * is done). Only a schema this adapter created, or an empty one, is dropped: a schema holding
 * tables but no `schema_migrations` is refused with STATEPROOF_BACKEND_INCOMPATIBLE, so a typo can
 * never drop someone else's data. A schema that does not exist is fine.
 */
export async function dropPostgresNamespace(options: {
  readonly url?: string;
  readonly namespace: string;
}): Promise<void> {
  validateSchemaName(options.namespace);
  const url = options.url ?? DEFAULT_PG_URL;
  const client = newClient({
    connectionString: url,
    connectionTimeoutMillis: 5000,
    application_name: 'stateproof-drop',
  });
  try {
    await client.connect();
    const q = quoteIdentifier(options.namespace);
    const { rows } = await client.query<{ exists: boolean; ours: boolean; objects: number }>(
      `select exists (select 1 from pg_namespace where nspname = $1) as exists, to_regclass($2) is not null as ours,
              (select count(*)::integer from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1) as objects`,
      [options.namespace, `${q}.schema_migrations`],
    );
    const r = rows[0];
    if (!r?.exists) return;
    if (!r.ours && r.objects > 0) {
      throw new BackendIncompatibleError(
        `schema "${options.namespace}" was not created by stateproof; refusing to drop it`,
        { details: { schema: options.namespace } },
      );
    }
    await client.query(`drop schema ${q} cascade`);
  } catch (error) {
    throw toStateproofError(error, `dropping schema "${options.namespace}" on ${redactUrl(url)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
