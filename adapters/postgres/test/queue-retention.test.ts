import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock, type QueueStore } from '@stateproof/core';
import { MIGRATIONS, quoteIdentifier, type PostgresAdapter } from '@stateproof/adapter-postgres';
import { binding, PG_AVAILABLE, TestSchemas, withAdmin } from './pg-test-server.js';

// Retention of finished work (spec/contract/queue.md QUE-037, QUE-038; dataspace.md DSP-025) at the
// store: what prune removes, when, in what batches, and what it leaves alone. Most cases run on an
// injected clock (the statements read it through NOW, as they read the server's); one on the server
// clock with real waits.

const schemas = new TestSchemas();
afterAll(() => schemas.cleanup());

const WINDOW = 1000;
const queueBinding = (finishedMs = WINDOW, space = 'sp1:test:a:app:test.queue:') =>
  binding('queue', { space, retention: { finishedMs } });
const dataspaceBinding = (endedSessionsMs = WINDOW) => binding('dataspace', { retention: { endedSessionsMs } });

async function finishOne(q: QueueStore, key?: string): Promise<string> {
  const { id } = await q.enqueue({ queue: 'q', payload: '{}', ...(key === undefined ? {} : { idempotencyKey: key }) });
  const [t] = await q.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 10_000 });
  expect(t?.id).toBe(id);
  await q.complete(id, t!.token, '"done"');
  return id;
}

/** Rows of `table` in the adapter's schema (for what the store's reads cannot show). */
async function count(a: PostgresAdapter, table: string, where = 'true'): Promise<number> {
  return withAdmin(
    async (c) =>
      (await c.query(`select count(*)::integer as n from ${quoteIdentifier(a.namespace)}.${table} where ${where}`))
        .rows[0]!.n as number,
  );
}

describe.skipIf(!PG_AVAILABLE)('postgres queue retention (QUE-037, QUE-038)', () => {
  it('prunes every kind of finished task once its window passed, in batches of at most limit, and nothing else', async () => {
    const clock = new ManualClock(1_000_000);
    const a = await schemas.open({ clock });
    const q = await a.openQueue(queueBinding());
    const succeeded = await finishOne(q, 'k-succeeded');
    const { id: failed } = await q.enqueue({ queue: 'q', payload: '{}', maxAttempts: 1, idempotencyKey: 'k-failed' });
    const [f] = await q.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 10_000 });
    expect(await q.fail(failed, f!.token, 'boom')).toEqual({ state: 'failed' });
    const { id: canceledQueued } = await q.enqueue({ queue: 'q', payload: '{}' });
    await q.cancel(canceledQueued);
    const { id: acknowledged } = await q.enqueue({ queue: 'q', payload: '{}' });
    const [c] = await q.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 10_000 });
    await q.cancel(acknowledged);
    await q.acknowledgeCancel(acknowledged, c!.token);
    // A reaped attempt whose cancel was requested ends the task canceled, at the reap, with a lost attempt.
    const { id: reapedCanceled } = await q.enqueue({ queue: 'q', payload: '{}' });
    await q.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 100 });
    await q.cancel(reapedCanceled);
    clock.advance(100);
    expect((await q.reap()).canceled).toBe(1);
    const finished = [succeeded, failed, canceledQueued, acknowledged, reapedCanceled];
    // Never pruned, whatever their age: a queued task and a running one.
    const { id: queued } = await q.enqueue({ queue: 'q', payload: '{}', runAt: clock.now() + 10 * WINDOW });
    const { id: running } = await q.enqueue({ queue: 'q', payload: '{}' });
    await q.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 100 * WINDOW });
    const before = await q.counters();
    expect(before).toMatchObject({ succeeded: 1, failed: 1, canceled: 3, lost: 1, queued: 1, running: 1 });
    expect(await count(a, 'task_keys')).toBe(2);

    // The reaped one finished 100 ms after the others: the window of the first four ends first.
    clock.advance(WINDOW - 101);
    expect(await q.prune(500)).toBe(0);
    for (const id of finished) expect((await q.get(id))?.id).toBe(id);
    clock.advance(1);
    expect(await q.prune(3)).toBe(3);
    expect(await q.counters()).toEqual(before);
    expect(await q.prune(3)).toBe(1);
    expect(await q.prune(3)).toBe(0);
    expect(await q.get(reapedCanceled)).not.toBeNull();
    clock.advance(100);
    expect(await q.prune(3)).toBe(1);
    for (const id of finished) expect(await q.get(id)).toBeNull();
    expect((await q.get(queued))?.state).toBe('queued');
    expect((await q.get(running))?.state).toBe('running');
    expect(await count(a, 'tasks_done')).toBe(0);
    expect(await count(a, 'task_keys')).toBe(0);
    clock.advance(1000 * WINDOW);
    expect(await q.prune(500)).toBe(0);
    expect(await q.counters()).toEqual(before);
  });

  it('frees an idempotency key only with its task, and never hands a pruned id out again', async () => {
    const clock = new ManualClock(1_000_000);
    const a = await schemas.open({ clock });
    const q = await a.openQueue(queueBinding());
    const first = await finishOne(q, 'key');
    clock.advance(WINDOW - 1);
    expect(await q.prune(500)).toBe(0);
    expect(await q.enqueue({ queue: 'q', payload: '{}', idempotencyKey: 'key' })).toEqual({ id: first, deduped: true });
    clock.advance(1);
    expect(await q.prune(500)).toBe(1);
    const again = await q.enqueue({ queue: 'q', payload: '{}', idempotencyKey: 'key' });
    expect(again.deduped).toBe(false);
    expect(Number(again.id)).toBeGreaterThan(Number(first));
    expect((await q.get(again.id))?.idempotencyKey).toBe('key');
    expect(await q.enqueue({ queue: 'q', payload: '{}', idempotencyKey: 'key' })).toEqual({
      id: again.id,
      deduped: true,
    });
  });

  it('leaves a key row that names another task, and prunes only its own surface', async () => {
    const clock = new ManualClock(1_000_000);
    const a = await schemas.open({ clock });
    const mine = await a.openQueue(queueBinding());
    const other = await a.openQueue(queueBinding(0, 'sp1:test:a:app:test.other:'));
    const pruned = await finishOne(mine, 'k');
    const kept = await finishOne(other, 'k');
    // The key row of `pruned` names some other task: pruning it must not free that task's key.
    await withAdmin((c) =>
      c.query(`update ${quoteIdentifier(a.namespace)}.task_keys set task_id = task_id + 1000 where task_id = $1`, [
        pruned,
      ]),
    );
    clock.advance(WINDOW);
    expect(await mine.prune(500)).toBe(1);
    expect(await count(a, 'task_keys')).toBe(2);
    expect((await other.get(kept))?.state).toBe('succeeded');
    expect(await other.prune(500)).toBe(1);
    expect(await count(a, 'task_keys')).toBe(1);
    expect((await mine.counters()).succeeded).toBe(1);
    expect((await other.counters()).succeeded).toBe(1);
  });

  it('concurrent prunes remove and count each task once', async () => {
    const clock = new ManualClock(1_000_000);
    const a = await schemas.open({ clock });
    const b = await schemas.open({ clock, namespace: a.namespace });
    const q = await a.openQueue(queueBinding());
    const ids = (await q.enqueueMany(Array.from({ length: 40 }, () => ({ queue: 'q', payload: '{}' })))).map(
      (r) => r.id,
    );
    for (const t of await q.claim({ worker: 'w', queues: [], limit: 40, leaseMs: 10_000 }))
      await q.complete(t.id, t.token, null);
    clock.advance(WINDOW);
    const stores = [q, await b.openQueue(queueBinding())];
    const removed = await Promise.all(Array.from({ length: 8 }, (_, i) => stores[i % 2]!.prune(7)));
    let total = removed.reduce((x, y) => x + y, 0);
    while (total < ids.length) {
      const n = await q.prune(7);
      expect(n).toBeGreaterThan(0);
      total += n;
    }
    expect(total).toBe(ids.length);
    expect(await q.counters()).toMatchObject({ succeeded: 40, queued: 0, running: 0 });
  });

  it('upgrades a schema of version 3: what it finished before keeps being counted', async () => {
    const clock = new ManualClock(1_000_000);
    const first = await schemas.open({ clock });
    const q1 = await first.openQueue(queueBinding());
    const done = await finishOne(q1, 'old');
    await first.close();
    // Back to version 3, as an adapter of before retention left it.
    await withAdmin(async (c) => {
      const s = quoteIdentifier(first.namespace);
      await c.query(
        `drop table ${s}.task_tallies; drop index ${s}.tasks_done_finished; drop index ${s}.ds_sessions_ended;
         drop index ${s}.tasks_queue_available;
         delete from ${s}.schema_migrations where version > 3`,
      );
    });
    const a = await schemas.open({ clock, namespace: first.namespace });
    const q = await a.openQueue(queueBinding());
    const versions = await withAdmin(
      async (c) =>
        (await c.query(`select max(version) as v from ${quoteIdentifier(a.namespace)}.schema_migrations`)).rows[0]!.v,
    );
    expect(versions).toBe(MIGRATIONS.at(-1)!.version);
    expect(await q.enqueue({ queue: 'q', payload: '{}', idempotencyKey: 'old' })).toEqual({ id: done, deduped: true });
    clock.advance(WINDOW);
    expect(await q.prune(500)).toBe(1);
    expect(await q.get(done)).toBeNull();
    expect(await q.counters()).toMatchObject({ succeeded: 1, queued: 0 });
  });

  it('on the server clock: kept within the window, pruned after it', async () => {
    const a = await schemas.open();
    const q = await a.openQueue(queueBinding(300));
    const id = await finishOne(q, 'k');
    expect(await q.prune(500)).toBe(0);
    expect(await q.get(id)).not.toBeNull();
    await new Promise((r) => setTimeout(r, 400));
    expect(await q.prune(500)).toBe(1);
    expect(await q.get(id)).toBeNull();
    expect((await q.enqueue({ queue: 'q', payload: '{}', idempotencyKey: 'k' })).deduped).toBe(false);
    expect((await q.counters()).succeeded).toBe(1);
  });

  it('the prune scan walks tasks_done_finished', async () => {
    const a = await schemas.open();
    await a.openQueue(queueBinding());
    const plan = await withAdmin(async (c) => {
      await c.query('set enable_seqscan = off');
      const rows = (
        await c.query(
          `explain select id from ${quoteIdentifier(a.namespace)}.tasks_done where space_id = 1 and finished_at <= 5 order by finished_at limit 500 for update skip locked`,
        )
      ).rows;
      return rows.map((r) => r['QUERY PLAN'] as string).join('\n');
    });
    expect(plan).toContain('tasks_done_finished');
  });
});

describe.skipIf(!PG_AVAILABLE)('postgres dataspace retention (DSP-025)', () => {
  it('prunes ended sessions after their lease end plus the window, never open ones; a pruned one stays dead', async () => {
    const clock = new ManualClock(1_000_000);
    const a = await schemas.open({ clock });
    const ds = await a.openDataspace(dataspaceBinding());
    const closed = (await ds.openSession('o', 200)).session;
    await ds.assert(closed, 'x', '1');
    await ds.closeSession(closed); // closed, its lease end stays 1_000_200
    const expired = [(await ds.openSession('o', 100)).session, (await ds.openSession('o', 100)).session];
    await ds.assert(expired[0]!, 'y', '1');
    const open1 = (await ds.openSession('o', 100)).session;
    const stale = (await ds.openSession('o', 100)).session; // past its lease, not reaped: still open
    clock.advance(99);
    await ds.heartbeat(open1, 100 * WINDOW);
    clock.advance(1);
    // Found expired by an operation: ended (and retracted) there, lease end 1_000_100.
    for (const s of expired)
      await expect(ds.heartbeat(s, 100)).rejects.toMatchObject({ code: 'STATEPROOF_SESSION_EXPIRED' });
    expect(await ds.get('y')).toBeNull();

    clock.set(1_000_100 + WINDOW - 1);
    expect(await ds.prune(500)).toBe(0);
    await expect(ds.heartbeat(expired[0]!, 100)).rejects.toMatchObject({ code: 'STATEPROOF_SESSION_EXPIRED' });
    clock.advance(1);
    expect(await ds.prune(1)).toBe(1);
    expect(await ds.prune(500)).toBe(1);
    expect(await ds.prune(500)).toBe(0);
    clock.set(1_000_200 + WINDOW);
    expect(await ds.prune(500)).toBe(1);
    for (const s of [closed, ...expired]) {
      const dead = { code: expect.stringMatching(/^STATEPROOF_(SESSION_EXPIRED|NOT_FOUND)$/) };
      await expect(ds.heartbeat(s, 100)).rejects.toMatchObject(dead);
      await expect(ds.assert(s, 'z', '1')).rejects.toMatchObject(dead);
      await expect(ds.retract(s, 'x')).rejects.toMatchObject(dead);
    }
    expect(await ds.get('z')).toBeNull();
    // Open sessions are never pruned, even long past their lease; once the reaper ends them, their
    // lease end (long past) plus the window is what counts.
    clock.advance(1000 * WINDOW);
    expect(await ds.prune(500)).toBe(0);
    expect(await ds.reap()).toMatchObject({ expired: 2 });
    expect(await ds.prune(500)).toBe(2);
    expect(await count(a, 'ds_sessions')).toBe(0);
    const fresh = await ds.openSession('o', 100);
    expect([closed, ...expired, open1, stale]).not.toContain(fresh.session);
  });

  it('on the server clock: a closed session goes after lease end plus the window; heartbeat on it still fails', async () => {
    const a = await schemas.open();
    const ds = await a.openDataspace(dataspaceBinding(200));
    const { session } = await ds.openSession('o', 100);
    await ds.closeSession(session);
    expect(await ds.prune(500)).toBe(0);
    await new Promise((r) => setTimeout(r, 400));
    expect(await ds.prune(500)).toBe(1);
    await expect(ds.heartbeat(session, 100)).rejects.toMatchObject({
      code: expect.stringMatching(/^STATEPROOF_(SESSION_EXPIRED|NOT_FOUND)$/),
    });
  });
});

describe.skipIf(!PG_AVAILABLE)('enqueue against a prune (QUE-002, QUE-038)', () => {
  it("enqueues an item anew when its key's task is pruned between the conflict and the read of its owner", async () => {
    const clock = new ManualClock(1_000_000);
    const a = await schemas.open({ clock });
    const q = await a.openQueue(queueBinding());
    const old = await finishOne(q, 'k');
    clock.advance(WINDOW);
    // Between the enqueue's statement (the key conflicts) and its read of the key's owner, a prune
    // by another replica removes the finished task and its key.
    // The store's database handle (a private field), wrapped for this one call.
    const db = (q as unknown as { ctx: { db: { query: (what: string, ...rest: unknown[]) => Promise<unknown> } } }).ctx
      .db;
    const original = db.query.bind(db);
    let pruned = 0;
    db.query = async (what: string, ...rest: unknown[]) => {
      if (what === 'reading idempotency keys' && pruned === 0) pruned = await q.prune(10);
      return original(what, ...rest);
    };
    let result: Awaited<ReturnType<QueueStore['enqueue']>>;
    try {
      result = await q.enqueue({ queue: 'q', payload: '{}', idempotencyKey: 'k' });
    } finally {
      db.query = original;
    }
    expect(pruned).toBe(1);
    expect(result.deduped).toBe(false);
    expect(result.id).not.toBe(old);
    expect((await q.get(result.id))?.state).toBe('queued');
    expect((await q.enqueue({ queue: 'q', payload: '{}', idempotencyKey: 'k' })).id).toBe(result.id);
  });
});
