import { Type } from '@sinclair/typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegistry, log, openRuntime, record, type Adapter, type Registry, type Runtime } from '@stateproof/core';
import { MemoryBackend, memoryAdapter } from '@stateproof/adapter-memory';

/**
 * The memory adapter claiming, and its probe certifying, the durable classes and derived
 * projections: a test double for the runtime's projector (the memory adapter itself claims neither,
 * since a projection's source must be authoritative).
 */
function projectingAdapter(backend: MemoryBackend): Adapter {
  const inner = memoryAdapter({ backend, namespace: 'prj' });
  const all = ['ephemeral', 'restart-safe-local', 'shared-durable', 'derived-projection', 'telemetry'] as const;
  const kinds = Object.fromEntries(
    Object.entries(inner.capabilities.kinds).map(([k, v]) => [k, { ...v, classes: [...all] }]),
  );
  return Object.assign(Object.create(inner) as Adapter, {
    capabilities: { ...inner.capabilities, backend: 'fake-disk', kinds },
    probe: async () => ({
      ...(await inner.probe()),
      classes: all.map((c) => ({ class: c, certified: true, reasons: ['test double'] })),
    }),
  });
}

const Order = Type.Object({ customer: Type.String(), amount: Type.Integer() });
const Total = Type.Object({ total: Type.Integer(), orders: Type.Integer() });

function surfaces(registry: Registry, options: { retention?: { maxEntries: number } } = {}) {
  const orders = log('orders.log', { durability: 'shared-durable', value: Order, registry, ...options });
  const totals = record('customers.totals', {
    durability: 'derived-projection',
    source: orders,
    value: Total,
    registry,
  });
  const feed = log('orders.feed', { durability: 'derived-projection', source: 'orders.log', value: Order, registry });
  return { orders, totals, feed };
}

/** The per-customer totals of a batch, folded from what the projection holds. */
async function totalsOf(
  entries: ReadonlyArray<{ value: { customer: string; amount: number } }>,
  view: { get(key: string): Promise<{ total: number; orders: number } | null> },
) {
  const next = new Map<string, { total: number; orders: number }>();
  for (const { value } of entries) {
    const before = next.get(value.customer) ?? (await view.get(value.customer)) ?? { total: 0, orders: 0 };
    next.set(value.customer, { total: before.total + value.amount, orders: before.orders + 1 });
  }
  return [...next].map(([put, v]) => ({ put, value: v }));
}

const runtimes: Runtime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.close()));
});

async function open(backend: MemoryBackend, registry: Registry, s: ReturnType<typeof surfaces>): Promise<Runtime> {
  const rt = await openRuntime({
    adapter: projectingAdapter(backend),
    app: 'shop',
    deployment: 'd1',
    mode: 'enforce',
    registry,
    surfaces: [s.orders, s.totals, s.feed],
    maintenanceIntervalMs: false,
  });
  runtimes.push(rt);
  return rt;
}

describe('the projector of a derived projection', () => {
  it('folds the source from its cursor, commits each batch with its cursor, and reports its lag', async () => {
    const registry = createRegistry();
    const s = surfaces(registry);
    const rt = await open(new MemoryBackend(), registry, s);
    const orders = rt.use(s.orders);
    for (const [customer, amount] of [
      ['ann', 5],
      ['bob', 7],
      ['ann', 3],
    ] as const)
      await orders.append('all', { customer, amount });
    const p = rt.project(s.totals, { source: s.orders, stream: 'all', project: totalsOf, batch: 2 });
    expect(await p.lag()).toEqual({ cursor: 0, head: 3, lag: 3 });
    expect(await p.catchUp()).toEqual({ applied: 3, cursor: 3 });
    expect((await rt.use(s.totals).get('ann'))?.value).toEqual({ total: 8, orders: 2 });
    expect((await rt.use(s.totals).get('bob'))?.value).toEqual({ total: 7, orders: 1 });
    await orders.append('all', { customer: 'bob', amount: 1 });
    expect(await p.lag()).toEqual({ cursor: 3, head: 4, lag: 1 });
    expect(await p.catchUp()).toEqual({ applied: 1, cursor: 4 });
    expect((await rt.use(s.totals).get('bob'))?.value).toEqual({ total: 8, orders: 2 });
    expect(await p.catchUp()).toEqual({ applied: 0, cursor: 4 });
  });

  it('rebuilds from the first entry to what the incremental projection holds, and refuses a trimmed source, changing nothing', async () => {
    const registry = createRegistry();
    const s = surfaces(registry);
    const backend = new MemoryBackend();
    const rt = await open(backend, registry, s);
    for (let i = 0; i < 25; i++) await rt.use(s.orders).append('all', { customer: `c${i % 4}`, amount: i });
    const p = rt.project(s.totals, { source: s.orders, stream: 'all', project: totalsOf, batch: 7 });
    await p.catchUp();
    const incremental = (await rt.use(s.totals).list({ limit: 100 })).items.map((r) => [r.key, r.value]);
    expect(incremental).toHaveLength(4);
    // An older projector's version of the projection (another fold, a key the new one never writes): the rebuild replaces it whole.
    const old = rt.project(s.totals, {
      source: s.orders,
      stream: 'all',
      project: (entries) => entries.map((e) => ({ put: `old-${e.seq}`, value: { total: -1, orders: -1 } })),
    });
    await old.rebuild();
    expect((await rt.use(s.totals).list({ limit: 100 })).items).toHaveLength(25);
    expect(await p.rebuild()).toEqual({ applied: 25, cursor: 25 });
    expect((await rt.use(s.totals).list({ limit: 100 })).items.map((r) => [r.key, r.value])).toEqual(incremental);

    const r2 = createRegistry();
    const s2 = surfaces(r2, { retention: { maxEntries: 3 } });
    const rt2 = await open(new MemoryBackend(), r2, s2);
    for (let i = 0; i < 5; i++) await rt2.use(s2.orders).append('all', { customer: 'x', amount: 1 });
    const p2 = rt2.project(s2.totals, { source: s2.orders, stream: 'all', project: totalsOf });
    await expect(p2.catchUp()).rejects.toMatchObject({ code: 'STATEPROOF_LOG_TRIMMED' });
    await expect(p2.rebuild()).rejects.toMatchObject({ code: 'STATEPROOF_LOG_TRIMMED' });
    expect(await p2.lag()).toMatchObject({ cursor: 0 });
    expect((await rt2.use(s2.totals).list({ limit: 10 })).items).toEqual([]);
  });

  it('lets two projectors of one projection take turns: every entry applied exactly once', async () => {
    const registry = createRegistry();
    const s = surfaces(registry);
    const backend = new MemoryBackend();
    const a = await open(backend, registry, s);
    const b = await open(backend, registry, s);
    for (let i = 1; i <= 60; i++) await a.use(s.orders).append('all', { customer: `c${i % 3}`, amount: i });
    const pa = a.project(s.totals, { source: s.orders, stream: 'all', project: totalsOf, batch: 5 });
    const pb = b.project(s.totals, { source: s.orders, stream: 'all', project: totalsOf, batch: 4 });
    await Promise.all([pa.catchUp(), pb.catchUp(), pa.catchUp()]);
    const items = (await a.use(s.totals).list({ limit: 10 })).items;
    expect(items.reduce((n, r) => n + r.value.total, 0)).toBe((60 * 61) / 2);
    expect(items.reduce((n, r) => n + r.value.orders, 0)).toBe(60);
    expect(await pa.lag()).toEqual({ cursor: 60, head: 60, lag: 0 });
  });

  it('projects into a log, and follows the source when started', async () => {
    const registry = createRegistry();
    const s = surfaces(registry);
    const rt = await open(new MemoryBackend(), registry, s);
    const p = rt.project(s.feed, {
      source: s.orders,
      stream: 'all',
      pollMs: 20,
      project: (entries) =>
        entries.filter((e) => e.value.amount >= 10).map((e) => ({ append: e.value.customer, value: e.value })),
    });
    p.start();
    await rt.use(s.orders).append('all', { customer: 'ann', amount: 12 });
    await rt.use(s.orders).append('all', { customer: 'ann', amount: 2 });
    await rt.use(s.orders).append('all', { customer: 'bob', amount: 30 });
    const deadline = Date.now() + 5000;
    while ((await p.lag()).lag > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await p.stop();
    expect((await rt.use(s.feed).read('ann')).map((e) => e.value.amount)).toEqual([12]);
    expect((await rt.use(s.feed).read('bob')).map((e) => e.value.amount)).toEqual([30]);
    expect(p.error).toBeUndefined();
  });

  it('refuses every write to a projection but its projector’s, in every mode, and changes nothing', async () => {
    for (const mode of ['off', 'warn', 'enforce'] as const) {
      const registry = createRegistry();
      const s = surfaces(registry);
      const rt = await openRuntime({
        adapter: projectingAdapter(new MemoryBackend()),
        app: 'shop',
        deployment: 'd1',
        mode,
        registry,
        surfaces: [s.orders, s.totals, s.feed],
        maintenanceIntervalMs: false,
        logger: { warn: () => undefined },
      });
      runtimes.push(rt);
      await expect(rt.use(s.totals).put('ann', { total: 1, orders: 1 })).rejects.toMatchObject({
        code: 'STATEPROOF_PROJECTION_WRITE',
      });
      await expect(rt.use(s.totals).delete('ann')).rejects.toMatchObject({ code: 'STATEPROOF_PROJECTION_WRITE' });
      await expect(rt.use(s.feed).append('x', { customer: 'a', amount: 1 })).rejects.toMatchObject({
        code: 'STATEPROOF_PROJECTION_WRITE',
      });
      expect(() => rt.use(s.feed).emit('x', { customer: 'a', amount: 1 })).toThrow(/outside its projector/);
      expect(await rt.use(s.totals).get('ann')).toBeNull();
    }
  });

  it('refuses a source that cannot be one, and a projector of another source', async () => {
    const registry = createRegistry();
    const events = log('events.telemetry', {
      durability: 'telemetry',
      value: Order,
      retention: { maxEntries: 10 },
      registry,
    });
    const scratch = log('scratch', { durability: 'ephemeral', value: Order, registry });
    for (const source of [events, scratch])
      expect(() =>
        record(`view.of.${source.id}`, { durability: 'derived-projection', source, value: Total, registry }),
      ).toThrow(expect.objectContaining({ code: 'STATEPROOF_INVALID_OPTIONS', path: 'source' }));
    // Named by id before the source is defined: refused when both are bound.
    const r2 = createRegistry();
    const early = record('early.view', {
      durability: 'derived-projection',
      source: 'late.events',
      value: Total,
      registry: r2,
    });
    const late = log('late.events', {
      durability: 'telemetry',
      value: Order,
      retention: { maxEntries: 5 },
      registry: r2,
    });
    await expect(
      openRuntime({
        adapter: projectingAdapter(new MemoryBackend()),
        app: 'a',
        deployment: 'd',
        registry: r2,
        surfaces: [early, late],
        maintenanceIntervalMs: false,
      }),
    ).rejects.toMatchObject({ code: 'STATEPROOF_INVALID_OPTIONS', path: 'source' });

    const s = surfaces(registry);
    const other = log('other.log', { durability: 'shared-durable', value: Order, registry });
    const rt = await open(new MemoryBackend(), registry, s);
    expect(() => rt.project(s.totals, { source: other, stream: 'all', project: totalsOf })).toThrow(
      expect.objectContaining({ code: 'STATEPROOF_INVALID_OPTIONS', path: 'source' }),
    );
    expect(() =>
      rt.project(s.orders as never, { source: s.orders, stream: 'all', project: totalsOf as never }),
    ).toThrow(expect.objectContaining({ code: 'STATEPROOF_INVALID_OPTIONS', path: 'projection' }));
  });
});
