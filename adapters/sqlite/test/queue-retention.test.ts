import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@stateproof/core';
import { NAMESPACE_MIGRATIONS, namespaceTables, sqliteAdapter, type SqliteAdapter } from '@stateproof/adapter-sqlite';
import { binding } from './support/binding.js';
import { tempDir } from './support/temp-db.js';

// Retention of finished work (spec/contract/queue.md QUE-037, QUE-038; dataspace.md DSP-025) at the
// store: what prune removes, when, in what batches, and what it leaves alone.

const tmp = tempDir();
afterAll(() => tmp.remove());

const WINDOW = 1000;
const queueBinding = (space = 'sp1:test:a:app:test.queue:') =>
  binding('queue', { space, retention: { finishedMs: WINDOW } });
const dataspaceBinding = () => binding('dataspace', { retention: { endedSessionsMs: WINDOW } });

function open(clock: ManualClock, path = tmp.file()): SqliteAdapter {
  return sqliteAdapter({ path, namespace: 'app', clock });
}

async function finishOne(q: Awaited<ReturnType<SqliteAdapter['openQueue']>>, key?: string): Promise<string> {
  const { id } = await q.enqueue({ queue: 'q', payload: '{}', ...(key === undefined ? {} : { idempotencyKey: key }) });
  const [t] = await q.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 10_000 });
  expect(t?.id).toBe(id);
  await q.complete(id, t!.token, '"done"');
  return id;
}

describe('queue retention (QUE-037, QUE-038)', () => {
  it('prunes every kind of finished task once its window passed, in batches of at most limit, and nothing else', async () => {
    const clock = new ManualClock(1_000_000);
    const a = open(clock);
    const q = await a.openQueue(queueBinding());
    const succeeded = await finishOne(q, 'k-succeeded');
    const { id: failed } = await q.enqueue({ queue: 'q', payload: '{}', maxAttempts: 1 });
    const [f] = await q.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 10_000 });
    expect(await q.fail(failed, f!.token, 'boom')).toEqual({ state: 'failed' });
    const { id: canceledQueued } = await q.enqueue({ queue: 'q', payload: '{}' });
    await q.cancel(canceledQueued);
    const { id: acknowledged } = await q.enqueue({ queue: 'q', payload: '{}' });
    const [c] = await q.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 10_000 });
    await q.cancel(acknowledged);
    await q.acknowledgeCancel(acknowledged, c!.token);
    // A reaped attempt whose cancel was requested ends the task canceled, at the reap.
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

    // The reaped one finished 100 ms after the others: the window of the first four ends first.
    clock.advance(WINDOW - 101);
    expect(await q.prune(500)).toBe(0);
    for (const id of finished) expect((await q.get(id))?.id).toBe(id);
    clock.advance(1);
    expect(await q.prune(3)).toBe(3);
    expect(await q.prune(3)).toBe(1);
    expect(await q.prune(3)).toBe(0);
    expect(await q.get(reapedCanceled)).not.toBeNull();
    clock.advance(100);
    expect(await q.prune(3)).toBe(1);
    for (const id of finished) expect(await q.get(id)).toBeNull();
    expect((await q.get(queued))?.state).toBe('queued');
    expect((await q.get(running))?.state).toBe('running');
    clock.advance(1000 * WINDOW);
    expect(await q.prune(500)).toBe(0);
    expect(await q.counters()).toEqual(before);
    await a.close();
  });

  it('frees an idempotency key only with its task, and never hands a pruned id out again', async () => {
    const clock = new ManualClock(1_000_000);
    const a = open(clock);
    const q = await a.openQueue(queueBinding());
    const first = await finishOne(q, 'key');
    clock.advance(WINDOW - 1);
    expect(await q.prune(500)).toBe(0);
    expect(await q.enqueue({ queue: 'q', payload: '{}', idempotencyKey: 'key' })).toEqual({
      id: first,
      deduped: true,
    });
    clock.advance(1);
    expect(await q.prune(500)).toBe(1);
    const again = await q.enqueue({ queue: 'q', payload: '{}', idempotencyKey: 'key' });
    expect(again.deduped).toBe(false);
    expect(again.id).not.toBe(first);
    expect((await q.get(again.id))?.idempotencyKey).toBe('key');
    expect(await q.enqueue({ queue: 'q', payload: '{}', idempotencyKey: 'key' })).toEqual({
      id: again.id,
      deduped: true,
    });
    await a.close();
  });

  it('prunes only its own surface', async () => {
    const clock = new ManualClock(1_000_000);
    const a = open(clock);
    const mine = await a.openQueue(queueBinding());
    const other = await a.openQueue({ ...queueBinding('sp1:test:a:app:test.other:'), retention: { finishedMs: 0 } });
    await finishOne(mine);
    const kept = await finishOne(other);
    clock.advance(WINDOW);
    expect(await mine.prune(500)).toBe(1);
    expect((await other.get(kept))?.state).toBe('succeeded');
    expect(await other.prune(500)).toBe(1);
    await a.close();
  });

  it('upgrades a file of schema version 2: finished tasks get a finish instant no earlier than the true one', async () => {
    const path = tmp.file();
    const clock = new ManualClock(1_000_000);
    const first = open(clock, path);
    const q1 = await first.openQueue(queueBinding());
    const done = await finishOne(q1, 'old');
    const { id: canceled } = await q1.enqueue({ queue: 'q', payload: '{}' });
    await q1.cancel(canceled);
    const { id: queued } = await q1.enqueue({ queue: 'q', payload: '{}' });
    await first.close();
    // Back to version 2, as an adapter of before retention left it.
    const t = namespaceTables('app');
    const db = new Database(path);
    db.exec(
      `DROP INDEX ${t.tasks}_finished; DROP INDEX ${t.sessions}_ended; ALTER TABLE ${t.tasks} DROP COLUMN finished_at`,
    );
    db.prepare('UPDATE stateproof_namespaces SET schema_version = 2 WHERE namespace = ?').run('app');
    db.close();

    clock.advance(500);
    const a = open(clock, path);
    const check = new Database(path, { readonly: true });
    expect(check.prepare('SELECT schema_version FROM stateproof_namespaces WHERE namespace = ?').get('app')).toEqual({
      schema_version: NAMESPACE_MIGRATIONS.at(-1)!.version,
    });
    // The succeeded task finished when its attempt ended; the canceled one's instant is unknown: the migration's.
    expect(check.prepare(`SELECT id, finished_at FROM ${t.tasks} ORDER BY seq`).all()).toEqual([
      { id: done, finished_at: 1_000_000 },
      { id: canceled, finished_at: 1_000_500 },
      { id: queued, finished_at: null },
    ]);
    check.close();
    const q = await a.openQueue(queueBinding());
    expect(await q.enqueue({ queue: 'q', payload: '{}', idempotencyKey: 'old' })).toEqual({ id: done, deduped: true });
    clock.advance(WINDOW - 500);
    expect(await q.prune(500)).toBe(1);
    expect(await q.get(done)).toBeNull();
    clock.advance(500);
    expect(await q.prune(500)).toBe(1);
    expect(await q.get(canceled)).toBeNull();
    expect((await q.get(queued))?.state).toBe('queued');
    expect(await q.counters()).toMatchObject({ succeeded: 1, canceled: 1, queued: 1 });
    await a.close();
  });
});

describe('dataspace retention (DSP-025)', () => {
  it('prunes ended sessions after their lease end plus the window, never open ones; a pruned one stays dead', async () => {
    const clock = new ManualClock(1_000_000);
    const a = open(clock);
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
    const fresh = await ds.openSession('o', 100);
    expect([closed, ...expired, open1, stale]).not.toContain(fresh.session);
    await a.close();
  });
});
