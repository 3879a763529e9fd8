import { afterAll, describe, expect, it } from 'vitest';
import { dropPostgresNamespace, openPostgresAdapter, quoteIdentifier, SCHEMA_VERSION } from '@stateproof/adapter-postgres';
import { freshSchema, PG_AVAILABLE, PG_URL, TestSchemas, withAdmin } from './pg-test-server.js';

const schemas = new TestSchemas();
afterAll(() => schemas.cleanup());

describe.skipIf(!PG_AVAILABLE)('postgres schema and migrations', () => {
  it('creates and migrates one schema once when several processes open it at the same moment', async () => {
    const namespace = schemas.track(freshSchema());
    const opened = await Promise.all(Array.from({ length: 6 }, () => schemas.open({ namespace })));
    const rows = await withAdmin(async (c) => (await c.query(`select version from ${quoteIdentifier(namespace)}.schema_migrations order by version`)).rows);
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    // Every instance works on the same state.
    const [a, b] = opened;
    const binding = { surfaceId: 's', kind: 'record', class: 'shared-durable', space: 'sp1:m:a:app:s:', leaseMs: 1000, retry: { maxAttempts: 1, baseDelayMs: 1, factor: 1, maxDelayMs: 1, jitter: 0 }, concurrency: {}, attemptHistory: 1 } as const;
    await (await a!.openRecord(binding)).put('k', 'v');
    expect((await (await b!.openRecord(binding)).get('k'))?.value).toBe('v');
  });

  it('refuses a schema written by a newer adapter, typed and not retryable, and leaves it alone', async () => {
    const a = await schemas.open();
    const q = quoteIdentifier(a.namespace);
    await withAdmin((c) => c.query(`insert into ${q}.schema_migrations (version, description, adapter_version) values (999, 'from the future', '9.0.0')`));
    const error = await openPostgresAdapter({ url: PG_URL, namespace: a.namespace }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STATEPROOF_BACKEND_INCOMPATIBLE', retryable: false, details: { found: 999, supported: SCHEMA_VERSION } });
    const still = await withAdmin(async (c) => (await c.query(`select max(version)::integer as v from ${q}.schema_migrations`)).rows[0]?.v);
    expect(still).toBe(999);
  });

  it('never writes into, nor drops, a schema that stateproof did not create', async () => {
    const namespace = schemas.track(freshSchema('sp_foreign'));
    const q = quoteIdentifier(namespace);
    await withAdmin((c) => c.query(`create schema ${q}; create table ${q}.precious (x integer); insert into ${q}.precious values (42)`));
    await expect(openPostgresAdapter({ url: PG_URL, namespace })).rejects.toMatchObject({ code: 'STATEPROOF_BACKEND_INCOMPATIBLE', retryable: false });
    await expect(dropPostgresNamespace({ url: PG_URL, namespace })).rejects.toMatchObject({ code: 'STATEPROOF_BACKEND_INCOMPATIBLE' });
    const tables = await withAdmin(async (c) => (await c.query(`select table_name from information_schema.tables where table_schema = $1`, [namespace])).rows.map((r) => r.table_name));
    expect(tables).toEqual(['precious']);
  });

  it('adopts an empty schema, and drops only its own', async () => {
    const namespace = schemas.track(freshSchema());
    await withAdmin((c) => c.query(`create schema ${quoteIdentifier(namespace)}`));
    const a = await schemas.open({ namespace });
    await a.close();
    await dropPostgresNamespace({ url: PG_URL, namespace });
    const left = await withAdmin(async (c) => (await c.query('select count(*)::integer as n from pg_namespace where nspname = $1', [namespace])).rows[0]?.n);
    expect(left).toBe(0);
    await dropPostgresNamespace({ url: PG_URL, namespace }); // gone already: fine
  });
});
