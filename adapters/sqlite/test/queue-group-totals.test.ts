import { afterAll, describe, expect, it } from 'vitest';
import { sqliteAdapter } from '@stateproof/adapter-sqlite';
import { binding } from './support/binding.js';
import { tempDir } from './support/temp-db.js';

// The executor's group commit with completions that need no savepoint (writeChecked) and totals
// written once per group (tally): a refused call in the group changes nothing, the others count
// once each, and a read in the same group sees the totals of the calls before it.

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('queue totals in one group commit', () => {
  it('counts each completion once, none for a refused one, and reads them within the group', async () => {
    const path = tmp.file();
    const adapter = sqliteAdapter({ path, namespace: 'app' });
    const q = await adapter.openQueue(binding('queue'));
    await q.enqueueMany(Array.from({ length: 6 }, (_, i) => ({ queue: 'q', payload: `{"n":${i}}` })));
    const tasks = await q.claim({ worker: 'w', queues: [], limit: 6, leaseMs: 60_000 });
    expect(tasks).toHaveLength(6);
    const [a, b, c, d, e, f] = tasks as [(typeof tasks)[0], ...typeof tasks];
    // One turn: four completions, one with a wrong token, a failure, a second completion of the same
    // task, and a counters read between them.
    const calls = Promise.allSettled([
      q.complete(a.id, a.token, '"a"'),
      q.complete(b!.id, `${b!.token}-wrong`, '"b"'),
      q.complete(c!.id, c!.token, '"c"'),
      q.counters(),
      q.fail(d!.id, d!.token, 'boom', { retry: false }),
      q.complete(a.id, a.token, '"again"'),
      q.complete(e!.id, e!.token, null),
    ]);
    const settled = await calls;
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'STATEPROOF_LEASE_LOST' });
    expect((settled[5] as PromiseRejectedResult).reason).toMatchObject({ code: 'STATEPROOF_LEASE_LOST' });
    // The read in the middle saw the two completions before it, and the tasks they ended.
    expect((settled[3] as PromiseFulfilledResult<Awaited<ReturnType<typeof q.counters>>>).value).toMatchObject({
      succeeded: 2,
      failed: 0,
      running: 4,
    });
    expect(await q.counters()).toMatchObject({ queued: 0, running: 2, succeeded: 3, failed: 1 });
    expect(await q.get(b!.id)).toMatchObject({ state: 'running', result: null });
    expect(await q.get(a.id)).toMatchObject({ state: 'succeeded', result: '"a"' });
    await q.complete(f!.id, f!.token, null);
    await q.complete(b!.id, b!.token, null);
    await adapter.close();

    // Written, not only counted in memory: another connection reads the same totals.
    const again = sqliteAdapter({ path, namespace: 'app' });
    const q2 = await again.openQueue(binding('queue'));
    expect(await q2.counters()).toMatchObject({ queued: 0, running: 0, succeeded: 5, failed: 1 });
    const info = await q2.get(c!.id);
    expect(info?.history).toEqual([
      expect.objectContaining({ attempt: 1, worker: 'w', outcome: 'succeeded', error: null }),
    ]);
    await again.close();
  });
});
