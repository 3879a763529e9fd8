import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@stateproof/core';
import { sqliteAdapter } from '@stateproof/adapter-sqlite';
import { binding } from './support/binding.js';
import { tempDir } from './support/temp-db.js';

// The fast paths of the queue store: enqueueMany without idempotency keys inserts many rows a
// statement (chunks of 100, then powers of two), and a completion is one compare-and-set UPDATE that
// falls back to reading the row when it changes nothing (a refusal, or a history to trim). Both must
// store exactly what the one-row paths store.

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('queue fast paths', () => {
  it('enqueueMany of 237 tasks without keys stores each as enqueue would, in order', async () => {
    const clock = new ManualClock(1_000_000);
    const adapter = sqliteAdapter({ path: tmp.file(), namespace: 'app', clock });
    const q = await adapter.openQueue(binding('queue'));
    const single = await q.enqueue({ queue: 'q', payload: '"first"' });
    const specs = Array.from({ length: 237 }, (_, i) => ({
      queue: `q${i % 3}`,
      payload: JSON.stringify({ i }),
      ...(i % 5 === 0 ? { priority: i } : {}),
      ...(i % 7 === 0 ? { runAt: 2_000_000 + i } : {}),
      ...(i % 11 === 0 ? { maxAttempts: 1 + (i % 4) } : {}),
    }));
    const results = await q.enqueueMany(specs);
    expect(results).toHaveLength(237);
    const ids = results.map((r) => r.id);
    expect(new Set([single.id, ...ids]).size).toBe(238);
    expect(results.every((r) => !r.deduped)).toBe(true);
    for (const [i, s] of specs.entries()) {
      const t = await q.get(ids[i] as string);
      expect(t).toEqual({
        id: ids[i],
        queue: s.queue,
        state: 'queued',
        payload: s.payload,
        priority: s.priority ?? 0,
        runAt: s.runAt ?? 1_000_000,
        enqueuedAt: 1_000_000,
        attempts: 0,
        maxAttempts: s.maxAttempts ?? binding('queue').retry.maxAttempts,
        idempotencyKey: null,
        cancelRequested: false,
        leaseExpiresAt: null,
        result: null,
        lastError: null,
        history: [],
      });
    }
    // Enqueue order follows the batch: equal priority and due time claim in batch order.
    const claimed = await q.claim({ worker: 'w', queues: ['q1'], limit: 500, leaseMs: 60_000 });
    const expected = specs
      .map((s, i) => ({ s, id: ids[i] as string }))
      .filter(({ s }) => s.queue === 'q1' && s.runAt === undefined)
      .sort((a, b) => (b.s.priority ?? 0) - (a.s.priority ?? 0));
    expect(claimed.map((t) => t.id)).toEqual(expected.map((e) => e.id));
    expect((await q.counters()).queued).toBe(238 - claimed.length);
    await adapter.close();
  });

  it('a completion ends the running attempt in place, and trims a history longer than the bound', async () => {
    const clock = new ManualClock(1_000_000);
    const path = tmp.file();
    const adapter = sqliteAdapter({ path, namespace: 'app', clock });
    const wide = await adapter.openQueue(binding('queue', { attemptHistory: 5 }));
    const narrow = await adapter.openQueue(binding('queue', { attemptHistory: 1 }));
    const [a, b] = await wide.enqueueMany([
      { queue: 'q', payload: '"a"' },
      { queue: 'q', payload: '"b"' },
    ]);
    // a: one attempt, completed by the store that claimed it.
    const [ta, tb] = await wide.claim({ worker: 'w1', queues: [], limit: 2, leaseMs: 60_000 });
    clock.advance(10);
    await wide.complete(ta!.id, ta!.token, '"done"');
    // A second completion, a wrong token and an expired lease are refused as before.
    await expect(wide.complete(ta!.id, ta!.token, '"again"')).rejects.toMatchObject({ code: 'STATEPROOF_LEASE_LOST' });
    await expect(wide.complete('t-none', 'x', null)).rejects.toMatchObject({ code: 'STATEPROOF_NOT_FOUND' });
    await expect(wide.complete(tb!.id, `${tb!.token}x`, null)).rejects.toMatchObject({
      code: 'STATEPROOF_LEASE_LOST',
    });
    const doneA = await wide.get(a!.id);
    expect(doneA).toMatchObject({ state: 'succeeded', result: '"done"', attempts: 1, leaseExpiresAt: null });
    expect(doneA?.history).toEqual([
      { attempt: 1, worker: 'w1', startedAt: 1_000_000, endedAt: 1_000_010, outcome: 'succeeded', error: null },
    ]);
    // b: fails once, runs again, and is completed by a store whose bound is 1: the history is trimmed.
    await wide.fail(tb!.id, tb!.token, 'boom');
    clock.advance(60_000);
    const [again] = await wide.claim({ worker: 'w2', queues: [], limit: 1, leaseMs: 60_000 });
    expect(again?.attempt).toBe(2);
    clock.advance(5);
    await narrow.complete(again!.id, again!.token, null);
    const doneB = await wide.get(b!.id);
    expect(doneB).toMatchObject({ state: 'succeeded', result: null, attempts: 2, lastError: 'boom' });
    expect(doneB?.history).toEqual([
      { attempt: 2, worker: 'w2', startedAt: 1_060_010, endedAt: 1_060_015, outcome: 'succeeded', error: null },
    ]);
    // An expired lease refuses the completion.
    const [c] = await wide.enqueueMany([{ queue: 'q', payload: '"c"' }]);
    const [tc] = await wide.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 100 });
    expect(tc?.id).toBe(c?.id);
    clock.advance(100);
    await expect(wide.complete(tc!.id, tc!.token, null)).rejects.toMatchObject({ code: 'STATEPROOF_LEASE_LOST' });
    expect((await wide.counters()).succeeded).toBe(2);
    await adapter.close();
  });
});
