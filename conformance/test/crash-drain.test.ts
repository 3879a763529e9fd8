import { describe, expect, it } from 'vitest';
import { createRegistry, openRuntime, type QueueHandle, type Runtime, type TaskView } from '@stateproof/core';
import { memoryAdapter } from '@stateproof/adapter-memory';
import type { QueueStore } from '@stateproof/core/adapter-kit';
import { CrashHistory } from '../src/crash/crash-history.js';
import { CRASH_QUEUE_CONCURRENCY, defineCrashSurfaces, type CrashSurfaces } from '../src/crash/crash-surfaces.js';
import type { CheckContext } from '../src/crash/checks/check-context.js';
import { checkQueues } from '../src/crash/checks/check-queues.js';
import { progressWatch, stallLimitMs, untilDoneOrStalled } from '../src/crash/checks/progress-watch.js';
import { drainQueue } from '../src/crash/checks/queue-drain.js';
import { blockingLimit } from '../src/crash/checks/stuck-tasks.js';

// The final drain of the crash harness is judged by progress: a backlog drains however long it
// takes while tasks move, and a task no participant can ever claim is one liveness violation that
// names it, its row and what blocks it.

const LEASE_MS = 500;

/** A memory runtime with the crash queue surface; `patch` may change its store. */
async function queueScene(patch?: (store: QueueStore) => void) {
  const registry = createRegistry();
  const { surfaces, list } = defineCrashSurfaces(registry, 'ephemeral', ['queue'], LEASE_MS);
  const adapter = memoryAdapter({ namespace: 'drain' });
  const open = adapter.openQueue.bind(adapter);
  adapter.openQueue = async (binding) => {
    const store = await open(binding);
    patch?.(store);
    return store;
  };
  const rt: Runtime = await openRuntime({
    adapter,
    app: 'crash',
    deployment: 'run',
    mode: 'enforce',
    registry,
    surfaces: list,
    maintenanceIntervalMs: false,
    logger: { warn: () => undefined },
  });
  const h = rt.use(surfaces.queue!) as QueueHandle<number, unknown>;
  const history = new CrashHistory();
  /** Enqueues `n` tasks as worker 0 did, acknowledged. */
  const enqueue = async (n: number) => {
    const payloads = Array.from({ length: n }, (_, i) => i);
    history.record(0, 0, { t: 'invoke', id: `e${n}`, kind: 'queue', op: 'enqueue', key: 'tasks', args: payloads });
    const ids = (await h.enqueueMany(payloads.map((payload) => ({ payload })))).map((r) => r.id);
    history.record(0, 0, { t: 'ack', id: `e${n}`, result: ids });
    return ids;
  };
  const ctx: CheckContext = {
    rt,
    surfaces: surfaces as Partial<CrashSurfaces>,
    history,
    leaseMs: LEASE_MS,
    killed: new Set(),
    reapableAt: new Map(),
    expirySlackMs: 0,
    dataspaceEvents: [],
    async waitForLeases() {},
  };
  return { rt, h, ctx, enqueue };
}

describe('the crash drain, judged by progress', () => {
  it('reports a task no claim ever takes as one liveness violation with its row and what blocks it', async () => {
    // A claim that can never take a task again (as a concurrency counter a kill left incremented would).
    const s = await queueScene((store) => {
      store.claim = async () => [];
    });
    const ids = await s.enqueue(25);
    const t0 = Date.now();
    const violations = await checkQueues(s.ctx);
    const waited = Date.now() - t0;
    // It waited the stall limit (5 leases, at least 5 s) and no more.
    expect(waited).toBeGreaterThanOrEqual(stallLimitMs(s.ctx) - 50);
    expect(waited).toBeLessThan(stallLimitMs(s.ctx) + 3_000);
    expect(violations).toHaveLength(1);
    const [report] = violations as [string];
    expect(report).toMatch(
      /^queue: liveness: 25 tasks queued and 0 running, and no task was claimed or completed for 5\.\d s \(the drain claimed 0 and completed 0 in 5\.\d s\); 25 acknowledged tasks are stuck, by what blocks them:\n/,
    );
    expect(report).toContain(
      `  25 queued and due, under every limit by the rows (concurrency.global ${CRASH_QUEUE_CONCURRENCY}, 0 running): yet no claim takes it:\n`,
    );
    // The first 20 with their rows (state, due time, lease, attempts, last attempt), then a count.
    expect(report).toMatch(
      new RegExp(
        `\\n    ${ids[0]} queued in queue "default", due -\\d+ ms, lease none, attempts 0/50, last attempt none\\n`,
      ),
    );
    expect(report.split('\n').filter((l) => l.startsWith('    t'))).toHaveLength(20);
    expect(report).toMatch(/\n {4}… and 5 more$/);
    await s.rt.close();
  }, 20_000);

  it('names the limit that blocks a task: a concurrency limit reached, not yet due, attempts exhausted, a lease not expired', () => {
    const row = (over: Partial<TaskView<unknown, unknown>>): TaskView<unknown, unknown> =>
      ({
        id: 't1',
        queue: '',
        state: 'queued',
        runAt: 0,
        attempts: 1,
        maxAttempts: 50,
        leaseExpiresAt: null,
        history: [],
        ...over,
      }) as unknown as TaskView<unknown, unknown>;
    const idle = { total: 0, inQueue: 0 };
    expect(blockingLimit(row({}), 1000, { global: 8 }, { total: 8, inQueue: 8 })).toBe(
      'queued and due: concurrency.global 8 reached with 8 running',
    );
    expect(blockingLimit(row({}), 1000, { perQueue: 2 }, { total: 5, inQueue: 2 })).toBe(
      'queued and due: concurrency.perQueue 2 reached in its queue with 2 running',
    );
    expect(blockingLimit(row({ runAt: 5000 }), 1000, {}, idle)).toBe('queued, not yet due');
    expect(blockingLimit(row({ attempts: 50 }), 1000, {}, idle)).toMatch(/attempts exhausted \(50\/50\)/);
    expect(blockingLimit(row({ state: 'running', leaseExpiresAt: 2000 }), 1000, {}, idle)).toBe(
      'running: lease not expired',
    );
    expect(blockingLimit(row({ state: 'running', leaseExpiresAt: 500 }), 1000, {}, idle)).toMatch(
      /lease expired, yet the reaper/,
    );
    expect(blockingLimit(row({}), 1000, { global: 8 }, { total: 3, inQueue: 3 })).toBe(
      'queued and due, under every limit by the rows (concurrency.global 8, 3 running): yet no claim takes it',
    );
  });

  it('drains a slow backlog that takes far longer than the old fixed deadline, since tasks keep moving', async () => {
    // Simulated time: every claim takes half a (simulated) second and hands out one task, so 120
    // tasks take a minute; the old deadline (20 leases + 10 s = 20 s) would have failed the run,
    // the stall limit (5 s without progress) never trips.
    let clock = 0;
    const s = await queueScene((store) => {
      const claim = store.claim.bind(store);
      store.claim = async (options) => {
        clock += 500;
        await new Promise((resolve) => setImmediate(resolve));
        return claim({ ...options, limit: 1 });
      };
    });
    await s.enqueue(120);
    const progress: number[] = [];
    const drain = await drainQueue(s.h, {
      stallMs: stallLimitMs(s.ctx),
      idlePauseMs: 0,
      now: () => clock,
      onProgress: (p) => progress.push(p.remaining),
    });
    expect(drain).toMatchObject({ verdict: 'done', claimed: 120, finished: 120 });
    expect(drain.counters).toMatchObject({ queued: 0, running: 0, succeeded: 120 });
    expect(drain.durationMs).toBeGreaterThan(20 * LEASE_MS + 10_000);
    // It said how it went on the way (about once a simulated second): the backlog left.
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toBeLessThanOrEqual(120);
    expect(await checkQueues(s.ctx)).toEqual([]);
    await s.rt.close();
  });

  it('untilDoneOrStalled goes on while steps progress and gives up after the stall without any', async () => {
    let clock = 0;
    let left = 50;
    const moving = await untilDoneOrStalled(
      progressWatch(100, () => clock),
      async () => {
        clock += 60; // each step is slow, but moves one thing
        left--;
        return { done: left === 0, progressed: true };
      },
      0,
    );
    expect(moving).toBe('done');
    expect(clock).toBe(3000);
    const stuck = await untilDoneOrStalled(
      progressWatch(100, () => clock),
      async () => {
        clock += 30;
        return { done: false, progressed: false };
      },
      0,
    );
    expect(stuck).toBe('stalled');
  });
});
