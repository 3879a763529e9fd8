import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@stateproof/core';
import { quoteIdentifier } from '@stateproof/adapter-postgres';
import { binding, PG_AVAILABLE, TestSchemas, withAdmin } from './pg-test-server.js';

const schemas = new TestSchemas();
afterAll(() => schemas.cleanup());

describe.skipIf(!PG_AVAILABLE)('postgres queue', () => {
  it('claims through the partial index of available tasks', async () => {
    const a = await schemas.open();
    await (await a.openQueue(binding('queue'))).enqueue({ queue: 'q', payload: 'p' });
    const plan = await withAdmin(async (c) => {
      await c.query('set enable_seqscan = off');
      const rows = (
        await c.query(
          `explain select id from ${quoteIdentifier(a.namespace)}.tasks where space_id = 1 and state = 'queued' and run_at <= 0 order by priority desc, run_at, id limit 10 for update skip locked`,
        )
      ).rows;
      return rows.map((r) => r['QUERY PLAN'] as string).join('\n');
    });
    expect(plan).toContain('tasks_available');
  });

  it('keeps finished tasks out of the hot table and the attempt history bounded', async () => {
    const clock = new ManualClock();
    const a = await schemas.open({ clock, random: () => 0 });
    const store = await a.openQueue(
      binding('queue', {
        attemptHistory: 2,
        retry: { maxAttempts: 5, baseDelayMs: 10, factor: 1, maxDelayMs: 10, jitter: 0 },
      }),
    );
    const { id } = await store.enqueue({ queue: 'q', payload: 'p' });
    for (let n = 1; n <= 3; n++) {
      const [t] = await store.claim({ worker: `w${n}`, queues: [], limit: 1, leaseMs: 1000 });
      expect(t?.attempt).toBe(n);
      await store.fail(id, t!.token, `e${n}`);
      clock.advance(10);
    }
    const [t4] = await store.claim({ worker: 'w4', queues: [], limit: 1, leaseMs: 1000 });
    await store.complete(id, t4!.token, 'done');
    const info = await store.get(id);
    expect(info).toMatchObject({ state: 'succeeded', attempts: 4, result: 'done', lastError: 'e3' });
    expect(info!.history.map((h) => [h.attempt, h.worker, h.outcome])).toEqual([
      [3, 'w3', 'failed'],
      [4, 'w4', 'succeeded'],
    ]);
    const where = await withAdmin(async (c) => {
      const q = quoteIdentifier(a.namespace);
      const hot = (await c.query(`select count(*)::integer as n from ${q}.tasks where id = $1`, [id])).rows[0]!
        .n as number;
      const done = (await c.query(`select count(*)::integer as n from ${q}.tasks_done where id = $1`, [id])).rows[0]!
        .n as number;
      return { hot, done };
    });
    expect(where).toEqual({ hot: 0, done: 1 });
  });

  it('several adapter instances (separate pools, as separate processes) claim every task exactly once', async () => {
    const first = await schemas.open();
    const workers = [first, ...(await Promise.all([1, 2, 3].map(() => schemas.open({ namespace: first.namespace }))))];
    const b = binding('queue');
    const stores = await Promise.all(workers.map((w) => w.openQueue(b)));
    const ids = (
      await stores[0]!.enqueueMany(Array.from({ length: 60 }, (_, i) => ({ queue: 'q', payload: `p${i}` })))
    ).map((r) => r.id);
    const seen: string[] = [];
    await Promise.all(
      stores.map(async (s, w) => {
        for (;;) {
          const got = await s.claim({ worker: `w${w}`, queues: [], limit: 3, leaseMs: 60_000 });
          if (got.length === 0) return;
          for (const t of got) {
            seen.push(t.id);
            await s.complete(t.id, t.token, null);
          }
        }
      }),
    );
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(await stores[1]!.counters()).toMatchObject({ queued: 0, running: 0, succeeded: 60 });
  });

  it('holds the global concurrency limit across processes claiming at once', async () => {
    const first = await schemas.open();
    const others = await Promise.all([1, 2, 3].map(() => schemas.open({ namespace: first.namespace })));
    const b = binding('queue', { concurrency: { global: 3, perQueue: 2 } });
    const stores = await Promise.all([first, ...others].map((w) => w.openQueue(b)));
    await stores[0]!.enqueueMany(['a', 'a', 'a', 'b', 'b', 'b', 'c'].map((q) => ({ queue: q, payload: q })));
    const claimed = (
      await Promise.all(stores.map((s, i) => s.claim({ worker: `w${i}`, queues: [], limit: 5, leaseMs: 60_000 })))
    ).flat();
    expect(claimed).toHaveLength(3);
    const perQueue = new Map<string, number>();
    for (const t of claimed) perQueue.set(t.queue, (perQueue.get(t.queue) ?? 0) + 1);
    expect(Math.max(...perQueue.values())).toBeLessThanOrEqual(2);
    expect((await stores[0]!.counters()).running).toBe(3);
  });
});
