import { afterAll, describe, expect, it } from 'vitest';
import type { Client } from 'pg';
import { newClient, quoteIdentifier, type PostgresAdapter } from '@stateproof/adapter-postgres';
import { binding, PG_AVAILABLE, PG_URL, TestSchemas, withAdmin } from './pg-test-server.js';

const schemas = new TestSchemas();
afterAll(() => schemas.cleanup());

/** An admin connection holding locks in an open transaction until released. */
async function lockHolder(): Promise<Client & { release(): Promise<void> }> {
  const c = newClient({ connectionString: PG_URL });
  await c.connect();
  await c.query('begin');
  return Object.assign(c, {
    release: async () => void (await c.query('rollback').catch(() => undefined), await c.end().catch(() => undefined)),
  });
}

/** Waits until one of `adapter`'s own connections waits for a lock, and kills that backend (never anyone else's). */
async function killWaiter(adapter: PostgresAdapter): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const pids = adapter.backendPids();
    const rows = await withAdmin(
      async (c) =>
        (
          await c.query(
            `select pid from pg_stat_activity where pid = any($1::integer[]) and wait_event_type = 'Lock'`,
            [pids],
          )
        ).rows,
    );
    if (rows[0]) {
      await withAdmin((c) => c.query('select pg_terminate_backend($1)', [rows[0]!.pid]));
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the operation never waited for the lock');
}

const unavailable = { code: 'STATEPROOF_BACKEND_UNAVAILABLE', retryable: true };

/** The error `p` rejects with (a handler attached at once, so the rejection is never unhandled). */
function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (value) => ({ unexpectedSuccess: value }),
    (error: unknown) => error,
  );
}

describe.skipIf(!PG_AVAILABLE)('postgres adapter when its connection is killed mid-operation', () => {
  it('a record write whose backend is terminated fails retryable and leaves nothing half-written; the next write reconnects', async () => {
    const a = await schemas.open();
    const store = await a.openRecord(binding('record'));
    const first = await store.put('k', 'v1');
    const holder = await lockHolder();
    try {
      await holder.query(`select 1 from ${quoteIdentifier(a.namespace)}.records where key = 'k' for update`);
      const write = failure(store.put('k', 'v2', { ifVersion: first.version }));
      await killWaiter(a);
      expect(await write).toMatchObject(unavailable);
    } finally {
      await holder.release();
    }
    expect(await store.get('k')).toMatchObject({ value: 'v1', version: first.version });
    expect((await store.put('k', 'v3', { ifVersion: first.version })).version).toBeGreaterThan(first.version);
  });

  it('an enqueueMany cut off while it waits applies none of its tasks', async () => {
    const a = await schemas.open();
    const store = await a.openQueue(binding('queue'));
    const q = quoteIdentifier(a.namespace);
    await store.enqueue({ queue: 'q', payload: 'warm-up' }); // the surface exists
    const holder = await lockHolder();
    try {
      // Another transaction is inserting the batch's last idempotency key: the batch's statement waits on it.
      const space = (await holder.query(`select id from ${q}.spaces where kind = 'queue'`)).rows[0]!.id as number;
      await holder.query(`insert into ${q}.task_keys (space_id, key, task_id) values ($1, 'k3', 999999)`, [space]);
      const batch = failure(
        store.enqueueMany([1, 2, 3].map((i) => ({ queue: 'q', payload: `p${i}`, idempotencyKey: `k${i}` }))),
      );
      await killWaiter(a);
      expect(await batch).toMatchObject(unavailable);
    } finally {
      await holder.release();
    }
    expect((await store.counters()).queued).toBe(1);
    const again = await store.enqueueMany(
      [1, 2, 3].map((i) => ({ queue: 'q', payload: `p${i}`, idempotencyKey: `k${i}` })),
    );
    expect(again.map((r) => r.deduped)).toEqual([false, false, false]);
    expect((await store.counters()).queued).toBe(4);
  });

  it('a task completion cut off while it waits leaves the attempt running under the same token', async () => {
    const a = await schemas.open();
    const store = await a.openQueue(binding('queue'));
    const { id } = await store.enqueue({ queue: 'q', payload: 'p' });
    const [task] = await store.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 60_000 });
    const holder = await lockHolder();
    try {
      await holder.query(`select 1 from ${quoteIdentifier(a.namespace)}.tasks where id = $1 for update`, [id]);
      const done = failure(store.complete(id, task!.token, 'r'));
      await killWaiter(a);
      expect(await done).toMatchObject(unavailable);
    } finally {
      await holder.release();
    }
    expect(await store.get(id)).toMatchObject({ state: 'running', attempts: 1 });
    await store.complete(id, task!.token, 'r');
    expect(await store.get(id)).toMatchObject({ state: 'succeeded', result: 'r' });
  });

  it('a coalesced completion cut off while it waits fails every call of its batch, retryable, and applies none of them', async () => {
    const a = await schemas.open();
    const store = await a.openQueue(binding('queue'));
    await store.enqueueMany([1, 2, 3].map((i) => ({ queue: 'q', payload: `p${i}` })));
    const tasks = await store.claim({ worker: 'w', queues: [], limit: 3, leaseMs: 60_000 });
    const holder = await lockHolder();
    try {
      // One task's row is locked elsewhere: the batch's statement waits on it, whatever it did to the others.
      await holder.query(`select 1 from ${quoteIdentifier(a.namespace)}.tasks where id = $1 for update`, [
        tasks[2]!.id,
      ]);
      const calls = tasks.map((t) => failure(store.complete(t.id, t.token, 'r')));
      await killWaiter(a);
      for (const c of await Promise.all(calls)) expect(c).toMatchObject(unavailable);
    } finally {
      await holder.release();
    }
    for (const t of tasks) expect(await store.get(t.id)).toMatchObject({ state: 'running', attempts: 1, result: null });
    await Promise.all(tasks.map((t) => store.complete(t.id, t.token, 'r')));
    expect(await store.counters()).toMatchObject({ running: 0, succeeded: 3 });
  });

  it('a dataspace assert killed in the middle of its transaction rolls back whole: no revision, no assertion, no change', async () => {
    const a = await schemas.open();
    const store = await a.openDataspace(binding('dataspace'));
    const q = quoteIdentifier(a.namespace);
    const s = await store.openSession('o', 60_000);
    const before = await store.assert(s.session, 'x', '1');
    const holder = await lockHolder();
    try {
      // The next revision's change row is being inserted by someone else: the assert has taken the
      // revision row and the session, then waits on the change feed's key.
      const space = (await holder.query(`select id from ${q}.spaces where kind = 'dataspace'`)).rows[0]!.id as number;
      await holder.query(
        `insert into ${q}.ds_changes (space_id, revision, type, id, session_id, owner) values ($1, $2, 'asserted', 'blocker', 0, 'x')`,
        [space, before.revision + 1],
      );
      const write = failure(store.assert(s.session, 'y', '2'));
      await killWaiter(a);
      expect(await write).toMatchObject(unavailable);
    } finally {
      await holder.release();
    }
    const listed = await store.list({ type: 'all' });
    expect(listed.revision).toBe(before.revision);
    expect(listed.assertions.map((x) => x.id)).toEqual(['x']);
    expect(await store.assert(s.session, 'y', '2')).toEqual({ revision: before.revision + 1 });
  });

  it('every connection of the adapter killed at once: operations fail retryable or complete, then it reconnects', async () => {
    const a = await schemas.open();
    const store = await a.openRecord(binding('record'));
    await store.put('warm', 'x');
    const inflight = Array.from({ length: 8 }, (_, i) =>
      store.put(`k${i}`, `v${i}`).then(
        () => 'ok',
        (e: { code?: string; retryable?: boolean }) => `${e.code}:${e.retryable}`,
      ),
    );
    await withAdmin((c) =>
      c.query('select pg_terminate_backend(pid) from unnest($1::integer[]) as pid', [a.backendPids()]),
    );
    for (const r of await Promise.all(inflight)) expect(['ok', 'STATEPROOF_BACKEND_UNAVAILABLE:true']).toContain(r);
    await store.put('after', 'y');
    expect((await store.get('after'))?.value).toBe('y');
  });
});
