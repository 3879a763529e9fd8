import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, type QueueBinding } from '@stateproof/core';
import { backoffCeiling, backoffFloor } from '@stateproof/core/adapter-kit';
import { binding, setup } from './binding.js';

async function queue(overrides: Partial<QueueBinding> = {}, random?: () => number) {
  const { adapter, clock, backend } = setup(random ? { random } : {});
  return { store: await adapter.openQueue(binding('queue', overrides)), clock, backend, adapter };
}

describe('memory queue store', () => {
  it('claims due tasks by priority, then due time, then enqueue order', async () => {
    const { store, clock } = await queue();
    const now = clock.now();
    const low = await store.enqueue({ queue: 'q', payload: 'low', priority: -1 });
    const first = await store.enqueue({ queue: 'q', payload: 'first' });
    const second = await store.enqueue({ queue: 'q', payload: 'second' });
    const urgent = await store.enqueue({ queue: 'q', payload: 'urgent', priority: 5 });
    const earlier = await store.enqueue({ queue: 'q', payload: 'earlier', runAt: now - 10 });
    const later = await store.enqueue({ queue: 'q', payload: 'later', runAt: now + 50 });
    const claimed = await store.claim({ worker: 'w', queues: [], limit: 10, leaseMs: 1000 });
    expect(claimed.map((t) => t.id)).toEqual([urgent.id, earlier.id, first.id, second.id, low.id]);
    expect(claimed.map((t) => t.attempt)).toEqual([1, 1, 1, 1, 1]);
    clock.advance(50);
    expect((await store.claim({ worker: 'w', queues: [], limit: 10, leaseMs: 1000 })).map((t) => t.id)).toEqual([
      later.id,
    ]);
  });

  it('never hands out a task with an unexpired lease, and respects queue names and limit', async () => {
    const { store } = await queue();
    await store.enqueue({ queue: 'a', payload: '1' });
    await store.enqueue({ queue: 'b', payload: '2' });
    await store.enqueue({ queue: 'b', payload: '3' });
    expect((await store.claim({ worker: 'w1', queues: ['b'], limit: 1, leaseMs: 1000 })).map((t) => t.payload)).toEqual(
      ['2'],
    );
    expect((await store.claim({ worker: 'w2', queues: ['b'], limit: 5, leaseMs: 1000 })).map((t) => t.payload)).toEqual(
      ['3'],
    );
    expect(await store.claim({ worker: 'w3', queues: ['b'], limit: 5, leaseMs: 1000 })).toEqual([]);
  });

  it('enforces global and per-queue concurrency', async () => {
    const { store } = await queue({ concurrency: { global: 3, perQueue: 2 } });
    for (const q of ['a', 'a', 'a', 'b', 'b']) await store.enqueue({ queue: q, payload: q });
    const claimed = await store.claim({ worker: 'w', queues: [], limit: 10, leaseMs: 1000 });
    expect(claimed.map((t) => t.queue)).toEqual(['a', 'a', 'b']);
    expect(await store.claim({ worker: 'w', queues: [], limit: 10, leaseMs: 1000 })).toEqual([]);
    await store.complete(claimed[0]!.id, claimed[0]!.token, null);
    expect((await store.claim({ worker: 'w', queues: [], limit: 10, leaseMs: 1000 })).map((t) => t.queue)).toEqual([
      'a',
    ]);
  });

  it('fences every write on the attempt token and its lease', async () => {
    const { store, clock } = await queue();
    const { id } = await store.enqueue({ queue: 'q', payload: 'p' });
    const [t] = await store.claim({ worker: 'w1', queues: [], limit: 1, leaseMs: 100 });
    await expect(store.complete(id, 'forged', null)).rejects.toMatchObject({ code: 'STATEPROOF_LEASE_LOST' });
    clock.advance(100);
    await expect(store.heartbeat(id, t!.token, 100)).rejects.toMatchObject({ code: 'STATEPROOF_LEASE_LOST' });
    await expect(store.complete(id, t!.token, 'late')).rejects.toMatchObject({ code: 'STATEPROOF_LEASE_LOST' });
    expect(await store.reap()).toEqual({ lost: 1, timedOut: 0, requeued: 1, failed: 0, canceled: 0 });
    clock.advance(DEFAULT_RETRY.baseDelayMs);
    const [t2] = await store.claim({ worker: 'w2', queues: [], limit: 1, leaseMs: 100 });
    expect(t2).toMatchObject({ id, attempt: 2 });
    expect(t2!.token).not.toBe(t!.token);
    await expect(store.complete(id, t!.token, 'zombie')).rejects.toMatchObject({ code: 'STATEPROOF_LEASE_LOST' });
    await store.complete(id, t2!.token, 'ok');
    const info = await store.get(id);
    expect(info).toMatchObject({ state: 'succeeded', result: 'ok', attempts: 2 });
    expect(info!.history.map((a) => [a.attempt, a.worker, a.outcome])).toEqual([
      [1, 'w1', 'lost'],
      [2, 'w2', 'succeeded'],
    ]);
    await expect(store.fail(id, t2!.token, 'x')).rejects.toMatchObject({ code: 'STATEPROOF_LEASE_LOST' });
    await expect(store.heartbeat('missing', 'x', 10)).rejects.toMatchObject({ code: 'STATEPROOF_NOT_FOUND' });
  });

  it('retries with the pinned backoff until max attempts, then fails', async () => {
    const policy = { ...DEFAULT_RETRY, maxAttempts: 3, baseDelayMs: 100, factor: 2, maxDelayMs: 1000, jitter: 0.5 };
    for (const r of [0, 0.5, 0.999]) {
      const { store, clock } = await queue({ retry: policy }, () => r);
      const { id } = await store.enqueue({ queue: 'q', payload: 'p' });
      for (let n = 1; n <= 3; n++) {
        const [t] = await store.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 1000 });
        expect(t?.attempt).toBe(n);
        const before = clock.now();
        const out = await store.fail(id, t!.token, `boom ${n}`);
        if (n < 3) {
          expect(out.state).toBe('queued');
          const delay = (out as { runAt: number }).runAt - before;
          expect(delay).toBeLessThanOrEqual(backoffCeiling(policy, n));
          expect(delay).toBeGreaterThanOrEqual(backoffFloor(policy, n));
          clock.advance(delay - 1);
          expect(await store.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 1000 })).toEqual([]);
          clock.advance(1);
        } else {
          expect(out).toEqual({ state: 'failed' });
        }
      }
      clock.advance(10_000);
      expect(await store.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 1000 })).toEqual([]);
      expect(await store.get(id)).toMatchObject({ state: 'failed', attempts: 3, lastError: 'boom 3' });
    }
  });

  it('fails at once without retry, and honours a per-task maxAttempts', async () => {
    const { store } = await queue();
    const a = await store.enqueue({ queue: 'q', payload: 'a' });
    const [t] = await store.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 1000 });
    expect(await store.fail(a.id, t!.token, 'fatal', { retry: false })).toEqual({ state: 'failed' });
    const b = await store.enqueue({ queue: 'q', payload: 'b', maxAttempts: 1 });
    const [u] = await store.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 1000 });
    expect(u).toMatchObject({ id: b.id, maxAttempts: 1 });
    expect(await store.fail(b.id, u!.token, 'once')).toEqual({ state: 'failed' });
  });

  it('cancels queued tasks at once and running ones through the heartbeat', async () => {
    const { store } = await queue();
    const queued = await store.enqueue({ queue: 'q', payload: 'q' });
    expect(await store.cancel(queued.id)).toEqual({ state: 'canceled', cancelRequested: false });
    const running = await store.enqueue({ queue: 'q', payload: 'r' });
    const [t] = await store.claim({ worker: 'w', queues: [], limit: 5, leaseMs: 1000 });
    expect(t?.id).toBe(running.id);
    await expect(store.acknowledgeCancel(running.id, t!.token)).rejects.toMatchObject({
      code: 'STATEPROOF_INVALID_TRANSITION',
    });
    expect(await store.cancel(running.id)).toEqual({ state: 'running', cancelRequested: true });
    expect(await store.heartbeat(running.id, t!.token, 1000)).toMatchObject({ cancelRequested: true });
    await store.acknowledgeCancel(running.id, t!.token);
    expect(await store.get(running.id)).toMatchObject({ state: 'canceled' });
    expect(await store.cancel(running.id)).toEqual({ state: 'canceled', cancelRequested: true });
    await expect(store.cancel('missing')).rejects.toMatchObject({ code: 'STATEPROOF_NOT_FOUND' });
    expect((await store.counters()).canceled).toBe(2);
  });

  it("reaps another worker's expired attempts, honouring cancel requests, idempotently", async () => {
    const { store, clock, backend } = await queue();
    const other = await setup({ backend }).adapter.openQueue(binding('queue'));
    await store.enqueue({ queue: 'q', payload: 'a' });
    const c = await store.enqueue({ queue: 'q', payload: 'c' });
    await store.claim({ worker: 'dead-worker', queues: [], limit: 2, leaseMs: 100 });
    await store.cancel(c.id);
    clock.advance(100);
    // The other adapter has its own clock; the reaper of this one sees expiry.
    expect(await store.reap()).toEqual({ lost: 2, timedOut: 0, requeued: 1, failed: 0, canceled: 1 });
    expect(await store.reap()).toEqual({ lost: 0, timedOut: 0, requeued: 0, failed: 0, canceled: 0 });
    expect(await other.counters()).toMatchObject({ queued: 1, running: 0, canceled: 1, lost: 2 });
  });

  it('separates liveness from maximum runtime', async () => {
    const { store, clock } = await queue({ maxRuntimeMs: 250 });
    const { id } = await store.enqueue({ queue: 'q', payload: 'p' });
    const [t] = await store.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 100 });
    for (let i = 0; i < 2; i++) {
      clock.advance(90);
      await store.heartbeat(id, t!.token, 100);
    }
    clock.advance(60);
    expect(await store.heartbeat(id, t!.token, 100)).toMatchObject({ leaseExpiresAt: clock.now() + 10 });
    clock.advance(10);
    expect(await store.reap()).toMatchObject({ timedOut: 1, requeued: 1 });
    expect((await store.get(id))?.history[0]).toMatchObject({ outcome: 'timed-out' });
  });

  it('dedupes by idempotency key, also within an atomic batch, in any state', async () => {
    const { store } = await queue();
    const a = await store.enqueue({ queue: 'q', payload: '1', idempotencyKey: 'k1' });
    expect(await store.enqueue({ queue: 'q', payload: '2', idempotencyKey: 'k1' })).toEqual({
      id: a.id,
      deduped: true,
    });
    const batch = await store.enqueueMany([
      { queue: 'q', payload: '3', idempotencyKey: 'k2' },
      { queue: 'q', payload: '4', idempotencyKey: 'k2' },
      { queue: 'q', payload: '5', idempotencyKey: 'k1' },
    ]);
    expect(batch.map((b) => b.deduped)).toEqual([false, true, true]);
    expect(batch[1]?.id).toBe(batch[0]?.id);
    const [t] = await store.claim({ worker: 'w', queues: [], limit: 1, leaseMs: 1000 });
    await store.complete(t!.id, t!.token, null);
    expect((await store.enqueue({ queue: 'q', payload: 'again', idempotencyKey: 'k1' })).deduped).toBe(true);
    expect((await store.counters()).queued).toBe(1);
  });

  it('keeps a bounded history numbered without gaps', async () => {
    const { store, clock } = await queue({
      attemptHistory: 3,
      retry: { ...DEFAULT_RETRY, maxAttempts: 6, baseDelayMs: 0 },
    });
    const { id } = await store.enqueue({ queue: 'q', payload: 'p' });
    for (let i = 0; i < 5; i++) {
      const [t] = await store.claim({ worker: `w${i}`, queues: [], limit: 1, leaseMs: 1000 });
      await store.fail(id, t!.token, `e${i}`);
      clock.advance(1);
    }
    const info = await store.get(id);
    expect(info!.history.map((a) => a.attempt)).toEqual([3, 4, 5]);
    expect(info!.attempts).toBe(5);
  });
});
