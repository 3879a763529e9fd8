import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { DEFAULT_RETRY, type BindingByKind } from '@stateproof/core';
import type { SurfaceKind } from '@stateproof/spec';
import {
  DEFAULT_PG_URL,
  newClient,
  openPostgresAdapter,
  quoteIdentifier,
  type PostgresAdapter,
  type PostgresAdapterOptions,
} from '@stateproof/adapter-postgres';

/** The server the tests use: STATEPROOF_PG_URL, or the local default. */
export const PG_URL = process.env['STATEPROOF_PG_URL'] ?? DEFAULT_PG_URL;

/**
 * Whether the test server answers. Without one the Postgres tests say so loudly and skip; under
 * CI=true a missing server is a failure (the tests then run and fail on the connection).
 */
export const PG_AVAILABLE: boolean = await (async () => {
  const client = newClient({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (error) {
    const message = `\n*** Postgres tests SKIPPED: no server at ${PG_URL} (${(error as Error).message}). Set STATEPROOF_PG_URL to run them. ***\n`;
    if (process.env['CI'] === 'true') {
      console.error(message.replace('SKIPPED', 'FAILING (CI=true)'));
      return true;
    }
    console.warn(message);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
})();

/** A schema name no other test uses. */
export function freshSchema(prefix = 'sp_test'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** Runs `fn` with a plain admin connection (for pg_terminate_backend, locks, inspection). */
export async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = newClient({ connectionString: PG_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Drops a test schema (and only that one). */
export async function dropSchema(schema: string): Promise<void> {
  await withAdmin((c) => c.query(`drop schema if exists ${quoteIdentifier(schema)} cascade`));
}

/** Tracks the adapters and schemas of one test file and removes them all afterwards. */
export class TestSchemas {
  private readonly adapters: PostgresAdapter[] = [];
  private readonly schemas = new Set<string>();

  /** Opens an adapter (its schema is dropped by {@link cleanup}). */
  async open(options: PostgresAdapterOptions = {}): Promise<PostgresAdapter> {
    const namespace = options.namespace ?? freshSchema();
    this.schemas.add(namespace);
    const adapter = await openPostgresAdapter({ url: PG_URL, pollIntervalMs: 100, ...options, namespace });
    this.adapters.push(adapter);
    return adapter;
  }

  /** Remembers a schema to drop. */
  track(schema: string): string {
    this.schemas.add(schema);
    return schema;
  }

  async cleanup(): Promise<void> {
    await Promise.allSettled(this.adapters.splice(0).map((a) => a.close()));
    for (const s of this.schemas) await dropSchema(s);
    this.schemas.clear();
  }
}

/** A binding as core would build it, for direct store tests. */
export function binding<K extends SurfaceKind>(kind: K, overrides: Partial<BindingByKind[K]> = {}): BindingByKind[K] {
  const cls = kind === 'channel' ? ('ephemeral' as const) : ('shared-durable' as const);
  const base = { surfaceId: `test.${kind}`, kind, class: cls, space: `sp1:test:a:app:test.${kind}:` };
  // Only a queue binding carries attempt options: a store of another kind never sees them.
  const queue =
    kind === 'queue'
      ? { leaseMs: 1000, retry: { ...DEFAULT_RETRY, jitter: 0 }, concurrency: {}, attemptHistory: 20 }
      : {};
  return { ...base, ...queue, ...overrides } as unknown as BindingByKind[K];
}
