import pg from 'pg';

/** The server every Postgres benchmark uses (override with STATEPROOF_PG_URL). */
export const PG_URL = process.env['STATEPROOF_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The URL with any password masked, for messages. */
export function maskedUrl(url: string): string {
  return url.replace(/:[^:@/]*@/, ':***@');
}

/** Why the server cannot be used, or undefined when a connection opens. */
export async function serverUnavailable(url: string): Promise<string | undefined> {
  try {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    await c.connect();
    await c.end();
    return undefined;
  } catch (error) {
    return `no Postgres at ${maskedUrl(url)}: ${(error as Error).message}`;
  }
}

/** Reads what the figures depend on: server version and durability settings. */
export async function serverFacts(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url, application_name: 'stateproof-bench-admin' });
  await c.connect();
  try {
    const { rows } = await c.query<Record<string, string>>(
      `select current_setting('server_version') as version, current_setting('fsync') as fsync, current_setting('synchronous_commit') as synchronous_commit,
              current_setting('shared_buffers') as shared_buffers, current_setting('wal_sync_method') as wal_sync_method`,
    );
    const r = rows[0] ?? {};
    return `PostgreSQL ${r['version']}, fsync ${r['fsync']}, synchronous_commit ${r['synchronous_commit']}, wal_sync_method ${r['wal_sync_method']}, shared_buffers ${r['shared_buffers']}`;
  } finally {
    await c.end();
  }
}

/** Drops a schema a peer created (everything in it is the benchmark's). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url, application_name: 'stateproof-bench-admin' });
  await c.connect();
  try {
    await c.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await c.end();
  }
}
