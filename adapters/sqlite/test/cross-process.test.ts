import { afterAll, describe, expect, it } from 'vitest';
import type { ChannelEvent, DataspaceEvent, Subscription } from '@stateproof/core';
import { sqliteAdapter } from '@stateproof/adapter-sqlite';
import { binding } from './support/binding.js';
import { tempDir } from './support/temp-db.js';
import { spawnChild, type Child } from './child/spawn-child.js';

// Two adapter instances on one file in separate OS processes: the locking, leases, change table
// and polling are what makes them see each other, not shared memory.
const tmp = tempDir();
const children: Child[] = [];
afterAll(async () => {
  for (const c of children) c.process.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  tmp.remove();
});
const start = (args: Record<string, unknown>): Child => {
  const c = spawnChild(args);
  children.push(c);
  return c;
};

async function collect<E>(sub: Subscription<E>, until: (seen: E[]) => boolean, ms: number): Promise<E[]> {
  const seen: E[] = [];
  const deadline = Date.now() + ms;
  while (!until(seen)) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([
      sub.next(),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), left))),
    ]);
    clearTimeout(timer);
    if (r === 'timeout' || r.done) break;
    seen.push(r.value);
  }
  return seen;
}

describe('two processes on one file', () => {
  it('race for tasks: every task is claimed exactly once, by one worker, and completed', async () => {
    const path = tmp.file();
    const parent = sqliteAdapter({ path, namespace: 'race' });
    const q = await parent.openQueue(binding('queue', { leaseMs: 60_000 }));
    const ids = (
      await q.enqueueMany(Array.from({ length: 300 }, (_, i) => ({ queue: 'default', payload: JSON.stringify(i) })))
    ).map((r) => r.id);
    const a = start({ role: 'queue-worker', name: 'A', workMs: 2, options: { path, namespace: 'race' } });
    const b = start({ role: 'queue-worker', name: 'B', workMs: 2, options: { path, namespace: 'race' } });
    await Promise.all([a.next('ready'), b.next('ready')]);
    a.send('go');
    b.send('go');
    const [doneA, doneB] = await Promise.all([a.next('done', 60_000), b.next('done', 60_000)]);
    const byA = doneA['claimed'] as string[];
    const byB = doneB['claimed'] as string[];
    expect(byA.filter((id) => byB.includes(id))).toEqual([]);
    expect([...byA, ...byB].sort()).toEqual([...ids].sort());
    // Both really took part: each works on its tasks a little, so that neither drains the queue alone.
    expect(byA.length).toBeGreaterThan(0);
    expect(byB.length).toBeGreaterThan(0);
    const counters = await q.counters();
    expect(counters).toMatchObject({ queued: 0, running: 0, succeeded: 300, failed: 0, lost: 0 });
    for (const id of [ids[0], ids[150], ids[299]] as string[]) {
      const t = await q.get(id);
      expect(t).toMatchObject({ state: 'succeeded', attempts: 1 });
      expect(t?.history).toHaveLength(1);
      expect(JSON.parse(t?.result as string).by).toBe(byA.includes(id) ? 'A' : 'B');
    }
    await parent.close();
  }, 90_000);

  it("a process killed with its session open: another process's reaper retracts its assertions, and a third process's subscriber sees it", async () => {
    const path = tmp.file();
    const options = { path, namespace: 'dead-owner', pollIntervalMs: 20 };
    const watcher = sqliteAdapter(options);
    const ds = await watcher.openDataspace(binding('dataspace'));
    const sub = await ds.subscribe({ type: 'all' });
    const ids = ['route:/a', 'route:/b', "o'clock %_*"];
    const owner = start({ role: 'dataspace-owner', name: 'doomed', ids, leaseMs: 700, options });
    await owner.next('ready');
    // The watcher (another process) sees the owner's assertions by polling the file.
    const asserted = await collect(sub, (s) => s.filter((e) => e.type === 'asserted').length === ids.length, 10_000);
    expect(asserted[0]).toMatchObject({ type: 'snapshot' });
    expect(
      asserted
        .filter((e): e is Extract<DataspaceEvent, { type: 'asserted' }> => e.type === 'asserted')
        .map((e) => e.assertion.id)
        .sort(),
    ).toEqual([...ids].sort());
    owner.process.kill('SIGKILL');
    expect(await owner.exited).toBe('SIGKILL');
    const reaper = start({ role: 'dataspace-reaper', name: 'heir', ids, count: ids.length, options });
    const reaped = await reaper.next('reaped', 30_000);
    expect(reaped).toMatchObject({ retracted: ids.length, expired: 1, free: ids.length });
    const after = await collect(sub, (s) => s.filter((e) => e.type === 'asserted').length === ids.length, 10_000);
    const retracted = after.filter((e): e is Extract<DataspaceEvent, { type: 'retracted' }> => e.type === 'retracted');
    expect(retracted.map((e) => [e.id, e.reason, e.owner]).sort()).toEqual(
      ids.map((id) => [id, 'expired', 'doomed']).sort(),
    );
    const taken = after.filter((e): e is Extract<DataspaceEvent, { type: 'asserted' }> => e.type === 'asserted');
    expect(taken.every((e) => e.assertion.owner === 'heir')).toBe(true);
    expect((await ds.list({ type: 'all' })).assertions.map((a) => a.owner)).toEqual(ids.map(() => 'heir'));
    await sub.close();
    await watcher.close();
  }, 90_000);

  it("channel messages reach a subscriber in another process, in the publisher's order", async () => {
    const path = tmp.file();
    const options = { path, namespace: 'fan-out', pollIntervalMs: 20 };
    const listener = sqliteAdapter(options);
    const ch = await listener.openChannel(binding('channel'));
    const sub = await ch.subscribe({ pattern: 'e*' });
    const pub = start({ role: 'channel-publisher', count: 40, options });
    const { publisher } = await pub.next('ready');
    pub.send('go');
    const got = await collect(sub, (s) => s.length === 20, 15_000);
    expect(got.map((e) => (e.type === 'message' ? [e.topic, JSON.parse(e.message), e.publisher] : e))).toEqual(
      Array.from({ length: 20 }, (_, i) => ['even', 2 * i, publisher]),
    );
    const seqs = got.map((e) => (e as Extract<ChannelEvent, { type: 'message' }>).seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    await pub.next('published');
    await sub.close();
    await listener.close();
  }, 60_000);

  it('a writer killed with SIGKILL loses no acknowledged append, and sequences continue after it', async () => {
    const path = tmp.file();
    const options = { path, namespace: 'kill' };
    const writer = start({ role: 'log-writer', options });
    await writer.next('ready');
    await new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(Math.random() * 300)));
    writer.process.kill('SIGKILL');
    await writer.exited;
    const acked = writer.events.filter((e) => e.event === 'acked') as unknown as Array<{ seq: number; value: number }>;
    expect(acked.length).toBeGreaterThan(10);
    const reopened = sqliteAdapter(options);
    const log = await reopened.openLog(binding('log'));
    const entries: Awaited<ReturnType<typeof log.read>> = [];
    for (
      let page = await log.read('s', { after: 0, limit: 1000 });
      page.length > 0;
      page = await log.read('s', { after: page.at(-1)!.seq, limit: 1000 })
    )
      entries.push(...page);
    // Every acknowledged entry is there with its sequence. Entries after them were committed but
    // their acknowledgement died in the pipe, or was in flight: allowed. Nothing was never written.
    for (const a of acked) expect(entries[a.seq - 1]).toMatchObject({ seq: a.seq, value: JSON.stringify(a.value) });
    expect(entries.length).toBeGreaterThanOrEqual(acked.length);
    expect(entries.map((e) => [e.seq, e.value])).toEqual(entries.map((_, i) => [i + 1, JSON.stringify(i)]));
    const [next] = await log.append('s', ['"after"']);
    expect(next).toBe(entries.length + 1);
    await reopened.close();
  }, 60_000);
});
