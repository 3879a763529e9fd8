import { Type } from '@sinclair/typebox';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BackendUnavailableError,
  createRegistry,
  InvalidOptionsError,
  log,
  openRuntime,
  type Adapter,
  type Runtime,
} from '@stateproof/core';
import { MemoryBackend, memoryAdapter } from '@stateproof/adapter-memory';

/** What the wrapped backend does with a log append. */
type Fault = 'none' | 'down' | 'refuses' | 'blocked';

/** The memory adapter (which claims telemetry for logs) with a switch on its log appends: an outage, a refusal, a hang. */
function faulty(backend: MemoryBackend, fault: { now: Fault }): Adapter {
  const inner = memoryAdapter({ backend, namespace: 'tel' });
  return Object.assign(Object.create(inner) as Adapter, {
    openLog: async (b: Parameters<NonNullable<Adapter['openLog']>>[0]) => {
      const store = await inner.openLog!(b);
      return Object.assign(Object.create(store), {
        append: (stream: string, values: readonly string[]) => {
          if (fault.now === 'down') return Promise.reject(new BackendUnavailableError('the backend is down'));
          if (fault.now === 'refuses')
            return Promise.reject(new InvalidOptionsError('refused for good', { path: 'x' }));
          if (fault.now === 'blocked') return new Promise<never>(() => undefined);
          return store.append(stream, values);
        },
      });
    },
  });
}

const runtimes: Runtime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.close()));
});

async function telemetry(
  fault: { now: Fault },
  buffer: number,
  drop: 'newest' | 'oldest' = 'newest',
  keep = true,
  flushOnCloseMs?: number,
) {
  const registry = createRegistry();
  const events = log('events', {
    durability: 'telemetry',
    value: Type.Integer(),
    retention: { maxEntries: 10_000 },
    telemetry: { buffer, drop },
    registry,
  });
  const backend = new MemoryBackend();
  const rt = await openRuntime({
    adapter: faulty(backend, fault),
    app: 'a',
    deployment: 'd',
    registry,
    surfaces: [events],
    maintenanceIntervalMs: false,
    ...(flushOnCloseMs === undefined ? {} : { flushOnCloseMs }),
  });
  if (keep) runtimes.push(rt);
  return { rt, h: rt.use(events) };
}

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

async function until(what: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await tick(10);
  }
}

describe('telemetry emit', () => {
  for (const drop of ['newest', 'oldest'] as const) {
    it(`never waits for a blocked backend, and drops the ${drop} entry when full, counting every drop`, async () => {
      // Not kept for closing: the runtime's close would wait for the blocked batch forever.
      const { h } = await telemetry({ now: 'blocked' }, 5, drop, false);
      for (let i = 0; i < 50; i++) h.emit('s', i);
      await tick();
      const stats = h.stats();
      expect(stats.pending).toBe(5);
      expect(stats.appended + stats.dropped + stats.pending).toBe(50);
      expect(stats.dropped).toBe(45);
    });
  }

  it('bounds a flush and a close by a backend that never answers: they end by the deadline, the entries counted as pending', async () => {
    const { rt, h } = await telemetry({ now: 'blocked' }, 10, 'newest', false, 200);
    for (let i = 0; i < 4; i++) h.emit('s', i);
    let t0 = performance.now();
    await h.flush({ timeoutMs: 100 });
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(h.stats()).toEqual({ appended: 0, dropped: 0, pending: 4 });
    await expect(h.flush({ timeoutMs: -1 })).rejects.toMatchObject({
      code: 'STATEPROOF_INVALID_OPTIONS',
      path: 'timeoutMs',
    });
    t0 = performance.now();
    await rt.close();
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(h.stats().appended + h.stats().dropped + h.stats().pending).toBe(4);
  });

  it('refuses a malformed flushOnCloseMs with its path', async () => {
    await expect(telemetry({ now: 'none' }, 10, 'newest', false, -5)).rejects.toMatchObject({
      code: 'STATEPROOF_INVALID_OPTIONS',
      path: 'flushOnCloseMs',
    });
  });

  it('appends in emit order per stream', async () => {
    const { h } = await telemetry({ now: 'none' }, 1000);
    for (let i = 0; i < 300; i++) h.emit(i % 2 === 0 ? 'even' : 'odd', i);
    await h.flush();
    expect(h.stats()).toEqual({ appended: 300, dropped: 0, pending: 0 });
    expect((await h.read('even', { limit: 1000 })).map((e) => e.value)).toEqual(
      Array.from({ length: 150 }, (_, i) => 2 * i),
    );
  });

  it('keeps what fits through an outage and delivers it in order once the backend is back; drops only what did not fit', async () => {
    const fault: { now: Fault } = { now: 'none' };
    const { h } = await telemetry(fault, 8);
    h.emit('s', -1);
    await h.flush();
    fault.now = 'down';
    for (let i = 0; i < 30; i++) h.emit('s', i);
    await tick(100);
    // Tried and refused several times meanwhile: nothing lost but what did not fit.
    expect(h.stats()).toEqual({ appended: 1, dropped: 22, pending: 8 });
    fault.now = 'none';
    await until(() => h.stats().pending === 0);
    expect(h.stats()).toEqual({ appended: 9, dropped: 22, pending: 0 });
    expect((await h.read('s')).map((e) => e.value)).toEqual([-1, 0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('with drop oldest, an outage keeps the latest entries', async () => {
    const fault: { now: Fault } = { now: 'down' };
    const { h } = await telemetry(fault, 4, 'oldest');
    for (let i = 0; i < 20; i++) h.emit('s', i);
    await tick(60);
    fault.now = 'none';
    await until(() => h.stats().pending === 0);
    expect(h.stats()).toEqual({ appended: 4, dropped: 16, pending: 0 });
    expect((await h.read('s')).map((e) => e.value)).toEqual([16, 17, 18, 19]);
  });

  it('a flush during an outage makes one more attempt, then drops and counts what the backend refused, and ends', async () => {
    const fault: { now: Fault } = { now: 'down' };
    const { rt, h } = await telemetry(fault, 10, 'newest', false);
    for (let i = 0; i < 6; i++) h.emit('s', i);
    await tick(50);
    expect(h.stats()).toEqual({ appended: 0, dropped: 0, pending: 6 });
    await h.flush();
    expect(h.stats()).toEqual({ appended: 0, dropped: 6, pending: 0 });
    for (let i = 0; i < 3; i++) h.emit('s', i);
    // Closing the runtime flushes too: it ends, with everything counted.
    await rt.close();
    expect(h.stats()).toEqual({ appended: 0, dropped: 9, pending: 0 });
  });

  it('drops at once, counted, what the backend refuses for good (no retry of a non-transient error)', async () => {
    const fault: { now: Fault } = { now: 'refuses' };
    const { h } = await telemetry(fault, 10);
    for (let i = 0; i < 4; i++) h.emit('s', i);
    await until(() => h.stats().pending === 0, 1000);
    expect(h.stats()).toEqual({ appended: 0, dropped: 4, pending: 0 });
    fault.now = 'none';
    h.emit('s', 99);
    await h.flush();
    expect(h.stats()).toEqual({ appended: 1, dropped: 4, pending: 0 });
    expect((await h.read('s')).map((e) => e.value)).toEqual([99]);
  });
});
