import { afterAll, describe, expect, it } from 'vitest';
import {
  dropPostgresNamespace,
  MIGRATIONS,
  openPostgresAdapter,
  quoteIdentifier,
  SCHEMA_VERSION,
} from '@stateproof/adapter-postgres';
import { binding, freshSchema, PG_AVAILABLE, PG_URL, TestSchemas, withAdmin } from './pg-test-server.js';

const schemas = new TestSchemas();
afterAll(() => schemas.cleanup());

describe.skipIf(!PG_AVAILABLE)('postgres schema and migrations', () => {
  it('creates and migrates one schema once when several processes open it at the same moment', async () => {
    const namespace = schemas.track(freshSchema());
    const opened = await Promise.all(Array.from({ length: 6 }, () => schemas.open({ namespace })));
    const rows = await withAdmin(
      async (c) =>
        (await c.query(`select version from ${quoteIdentifier(namespace)}.schema_migrations order by version`)).rows,
    );
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    // Every instance works on the same state.
    const [a, b] = opened;
    const binding = {
      surfaceId: 's',
      kind: 'record',
      class: 'shared-durable',
      space: 'sp1:m:a:app:s:',
      leaseMs: 1000,
      retry: { maxAttempts: 1, baseDelayMs: 1, factor: 1, maxDelayMs: 1, jitter: 0 },
      concurrency: {},
      attemptHistory: 1,
    } as const;
    await (await a!.openRecord(binding)).put('k', 'v');
    expect((await (await b!.openRecord(binding)).get('k'))?.value).toBe('v');
  });

  it('migrates the queue of a version 1 schema: a running attempt kept in the history JSON moves to the columns', async () => {
    const namespace = schemas.track(freshSchema());
    const q = quoteIdentifier(namespace);
    const b = binding('queue');
    const started = 1_700_000_000_000;
    const ended = {
      attempt: 1,
      worker: 'w1',
      startedAt: started,
      endedAt: started + 5,
      outcome: 'failed',
      error: 'boom',
    };
    const running = {
      attempt: 2,
      worker: 'w2',
      startedAt: started + 10,
      endedAt: null,
      outcome: 'running',
      error: null,
    };
    await withAdmin(async (c) => {
      await c.query(`create schema ${q}`);
      await c.query(MIGRATIONS[0]!.sql(q).join(';\n'));
      await c.query(
        `insert into ${q}.schema_migrations (version, description, adapter_version) values (1, 'v1', '0.1.0')`,
      );
      const space = (
        await c.query(`insert into ${q}.spaces (kind, space) values ('queue', $1) returning id`, [b.space])
      ).rows[0]!.id as number;
      // As version 1 wrote them: a running task whose history ends with its running attempt, a finished one.
      await c.query(
        `insert into ${q}.tasks (id, space_id, queue, state, payload, priority, run_at, enqueued_at, attempts, max_attempts, token, worker, started_at, lease_expires_at, last_error, history)
         values (1, $1, 'q', 'running', 'p1', 0, 0, 0, 2, 5, '2.00000000-0000-4000-8000-000000000000', 'w2', $2, $3, 'boom', $4)`,
        [space, started + 10, Date.now() + 3_600_000, JSON.stringify([ended, running])],
      );
      await c.query(
        `insert into ${q}.tasks_done (id, space_id, queue, state, payload, priority, run_at, enqueued_at, attempts, max_attempts, cancel_requested, lost, history, result, finished_at)
         values (2, $1, 'q', 'succeeded', 'p2', 0, 0, 0, 1, 5, false, 0, $2, 'r2', $3)`,
        [space, JSON.stringify([{ ...ended, outcome: 'succeeded', error: null }]), started + 5],
      );
      await c.query(`select setval('${namespace}.task_ids', 2)`);
    });
    const a = await schemas.open({ namespace });
    const store = await a.openQueue(b);
    expect((await store.get('1'))?.history).toEqual([ended, running]);
    expect((await store.get('2'))?.history).toEqual([{ ...ended, outcome: 'succeeded', error: null }]);
    await store.complete('1', '2.00000000-0000-4000-8000-000000000000', 'r1');
    const done = await store.get('1');
    expect(done).toMatchObject({ state: 'succeeded', attempts: 2, result: 'r1' });
    expect(done?.history.map((h) => [h.attempt, h.worker, h.outcome])).toEqual([
      [1, 'w1', 'failed'],
      [2, 'w2', 'succeeded'],
    ]);
    // A process still on version 1 writes the running attempt into the history: read and ended all the same.
    await withAdmin((c) =>
      c.query(
        `insert into ${q}.tasks (id, space_id, queue, state, payload, priority, run_at, enqueued_at, attempts, max_attempts, token, worker, started_at, lease_expires_at, last_error, history)
         select 3, id, 'q', 'running', 'p3', 0, 0, 0, 2, 5, '2.00000000-0000-4000-8000-000000000003', 'w2', $1, $2, 'boom', $3 from ${q}.spaces where kind = 'queue'`,
        [started + 10, Date.now() + 3_600_000, JSON.stringify([ended, running])],
      ),
    );
    expect((await store.get('3'))?.history).toEqual([ended, running]);
    await store.fail('3', '2.00000000-0000-4000-8000-000000000003', 'again');
    expect((await store.get('3'))?.history.map((h) => [h.attempt, h.outcome, h.error])).toEqual([
      [1, 'failed', 'boom'],
      [2, 'failed', 'again'],
    ]);
    // A task has a token exactly while it runs (the constraint of version 2).
    const refused = await withAdmin((c) =>
      c
        .query(
          `insert into ${q}.tasks (id, space_id, queue, state, payload, priority, run_at, enqueued_at, max_attempts, token) values (9, 1, 'q', 'queued', 'p', 0, 0, 0, 1, 'x')`,
        )
        .catch((e: { code?: string }) => e.code),
    );
    expect(refused).toBe('23514');
  });

  it('refuses a schema written by a newer adapter, typed and not retryable, and leaves it alone', async () => {
    const a = await schemas.open();
    const q = quoteIdentifier(a.namespace);
    await withAdmin((c) =>
      c.query(
        `insert into ${q}.schema_migrations (version, description, adapter_version) values (999, 'from the future', '9.0.0')`,
      ),
    );
    const error = await openPostgresAdapter({ url: PG_URL, namespace: a.namespace }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'STATEPROOF_BACKEND_INCOMPATIBLE',
      retryable: false,
      details: { found: 999, supported: SCHEMA_VERSION },
    });
    const still = await withAdmin(
      async (c) => (await c.query(`select max(version)::integer as v from ${q}.schema_migrations`)).rows[0]?.v,
    );
    expect(still).toBe(999);
  });

  it('never writes into, nor drops, a schema that stateproof did not create', async () => {
    const namespace = schemas.track(freshSchema('sp_foreign'));
    const q = quoteIdentifier(namespace);
    await withAdmin((c) =>
      c.query(`create schema ${q}; create table ${q}.precious (x integer); insert into ${q}.precious values (42)`),
    );
    await expect(openPostgresAdapter({ url: PG_URL, namespace })).rejects.toMatchObject({
      code: 'STATEPROOF_BACKEND_INCOMPATIBLE',
      retryable: false,
    });
    await expect(dropPostgresNamespace({ url: PG_URL, namespace })).rejects.toMatchObject({
      code: 'STATEPROOF_BACKEND_INCOMPATIBLE',
    });
    const tables = await withAdmin(async (c) =>
      (await c.query(`select table_name from information_schema.tables where table_schema = $1`, [namespace])).rows.map(
        (r) => r.table_name,
      ),
    );
    expect(tables).toEqual(['precious']);
  });

  it('adopts an empty schema, and drops only its own', async () => {
    const namespace = schemas.track(freshSchema());
    await withAdmin((c) => c.query(`create schema ${quoteIdentifier(namespace)}`));
    const a = await schemas.open({ namespace });
    await a.close();
    await dropPostgresNamespace({ url: PG_URL, namespace });
    const left = await withAdmin(
      async (c) =>
        (await c.query('select count(*)::integer as n from pg_namespace where nspname = $1', [namespace])).rows[0]?.n,
    );
    expect(left).toBe(0);
    await dropPostgresNamespace({ url: PG_URL, namespace }); // gone already: fine
  });
});
