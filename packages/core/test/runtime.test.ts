import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { memoryAdapter, MEMORY_CAPABILITIES } from '@stateproof/adapter-memory';
import {
  channel,
  claim,
  createRegistry,
  dataspace,
  log,
  ManualClock,
  openRuntime,
  queue,
  record,
  type Adapter,
  type Registry,
} from '@stateproof/core';

const Item = Type.Object({ n: Type.Integer() });

async function runtime(define: (registry: Registry) => void, options: { adapter?: Adapter; clock?: ManualClock } = {}) {
  const registry = createRegistry();
  define(registry);
  const clock = options.clock ?? new ManualClock();
  return openRuntime({
    adapter: options.adapter ?? memoryAdapter({ clock }),
    app: 'a',
    deployment: 'd',
    mode: 'enforce',
    registry,
    maintenanceIntervalMs: false,
  });
}

/** The memory adapter with some features taken away, to check that core refuses what is not claimed. */
function withoutFeatures(kind: keyof typeof MEMORY_CAPABILITIES.kinds, features: string[]): Adapter {
  const inner = memoryAdapter();
  const support = MEMORY_CAPABILITIES.kinds[kind]!;
  const reduced = Object.fromEntries(
    Object.entries(support.features).map(([f, v]) => [f, features.includes(f) ? false : v]),
  );
  return Object.assign(Object.create(inner) as Adapter, {
    capabilities: {
      ...MEMORY_CAPABILITIES,
      kinds: { ...MEMORY_CAPABILITIES.kinds, [kind]: { ...support, features: reduced } },
    },
  });
}

describe('runtime handles', () => {
  it('refuse malformed keys, values and options with typed errors, writing nothing', async () => {
    let items!: ReturnType<typeof record<'items', typeof Item>>;
    const rt = await runtime(
      (registry) => (items = record('items', { durability: 'ephemeral', value: Item, maxValueBytes: 64, registry })),
    );
    const h = rt.use(items);
    const { version } = await h.put('k', { n: 1 });
    const attempts: Array<[() => Promise<unknown>, string, string | undefined]> = [
      [() => h.put('', { n: 2 }), 'STATEPROOF_INVALID_KEY', 'key'],
      [() => h.put('a\u0000b', { n: 2 }), 'STATEPROOF_INVALID_KEY', 'key'],
      [() => h.put('x'.repeat(513), { n: 2 }), 'STATEPROOF_INVALID_KEY', 'key'],
      [() => h.put('k', { n: Number.NaN }), 'STATEPROOF_NOT_IJSON', '/n'],
      [() => h.put('k', JSON.parse('{"n":2,"__proto__":{"x":1}}')), 'STATEPROOF_FORBIDDEN_PROPERTY', '/__proto__'],
      [() => h.put('k', { n: 2, pad: 'x'.repeat(100) } as never), 'STATEPROOF_VALUE_TOO_LARGE', ''],
      [() => h.put('k', { n: 2.5 }), 'STATEPROOF_SCHEMA_VIOLATION', '/n'],
      [() => h.put('k', { n: 2 }, { ifVersion: 0 }), 'STATEPROOF_INVALID_OPTIONS', 'ifVersion'],
      [() => h.put('k', { n: 2 }, { ifVersion: version, ifAbsent: true }), 'STATEPROOF_INVALID_OPTIONS', 'ifAbsent'],
      [() => h.put('k', { n: 2 }, { ttl: 5 } as never), 'STATEPROOF_INVALID_OPTIONS', 'ttl'],
      [() => h.list({ limit: 1001 }), 'STATEPROOF_INVALID_OPTIONS', 'limit'],
      [() => h.list({ cursor: 'garbage' }), 'STATEPROOF_INVALID_OPTIONS', 'cursor'],
    ];
    for (const [op, code, path] of attempts) await expect(op()).rejects.toMatchObject({ code, path });
    expect(await h.get('k')).toMatchObject({ value: { n: 1 }, version });
  });

  it('pages with opaque cursors bound to their prefix', async () => {
    let items!: ReturnType<typeof record<'items', typeof Item>>;
    const rt = await runtime(
      (registry) => (items = record('items', { durability: 'ephemeral', value: Item, registry })),
    );
    const h = rt.use(items);
    for (const k of ['a1', 'a2', 'a3', 'b1']) await h.put(k, { n: 1 });
    const p1 = await h.list({ prefix: 'a', limit: 2 });
    expect(p1.items.map((i) => i.key)).toEqual(['a1', 'a2']);
    const p2 = await h.list({ prefix: 'a', limit: 2, cursor: p1.cursor });
    expect(p2).toMatchObject({ items: [{ key: 'a3' }], cursor: null });
    await expect(h.list({ prefix: 'b', cursor: p1.cursor })).rejects.toMatchObject({
      code: 'STATEPROOF_INVALID_OPTIONS',
      path: 'cursor',
    });
  });

  it('refuse what the adapter does not claim, and refuse to bind surfaces needing it', async () => {
    let items!: ReturnType<typeof record<'items', typeof Item>>;
    const rt = await runtime(
      (registry) => (items = record('items', { durability: 'ephemeral', value: Item, registry })),
      { adapter: withoutFeatures('record', ['ttl', 'list']) },
    );
    await expect(rt.use(items).put('k', { n: 1 }, { ttlMs: 5 })).rejects.toMatchObject({
      code: 'STATEPROOF_UNSUPPORTED',
    });
    await expect(rt.use(items).list()).rejects.toMatchObject({ code: 'STATEPROOF_UNSUPPORTED' });
    await expect(
      runtime((registry) => record('ttl', { durability: 'ephemeral', value: Item, ttlMs: 5, registry }), {
        adapter: withoutFeatures('record', ['ttl']),
      }),
    ).rejects.toMatchObject({
      code: 'STATEPROOF_UNSUPPORTED',
    });
    await expect(
      runtime((registry) => queue('q', { durability: 'ephemeral', payload: Item, maxRuntimeMs: 5, registry }), {
        adapter: withoutFeatures('queue', ['maxRuntime']),
      }),
    ).rejects.toMatchObject({
      code: 'STATEPROOF_UNSUPPORTED',
    });
    const noKind = Object.assign(Object.create(memoryAdapter()) as Adapter, { openClaim: undefined });
    await expect(
      runtime((registry) => claim('c', { durability: 'ephemeral', result: Item, registry }), { adapter: noKind }),
    ).rejects.toMatchObject({ code: 'STATEPROOF_UNSUPPORTED' });
  });

  it('type and validate every kind end to end', async () => {
    const clock = new ManualClock();
    const registry = createRegistry();
    const surfaces = {
      log: log('events', { durability: 'telemetry', value: Item, retention: { maxEntries: 3 }, registry }),
      claim: claim('effects', { durability: 'ephemeral', result: Item, leaseMs: 100, registry }),
      queue: queue('jobs', { durability: 'ephemeral', payload: Item, result: Type.String(), leaseMs: 100, registry }),
      dataspace: dataspace('routes', { durability: 'ephemeral', value: Item, leaseMs: 100, registry }),
      channel: channel('fanout', { durability: 'ephemeral', message: Item, registry }),
    };
    const s = surfaces;
    const rt = await openRuntime({
      adapter: memoryAdapter({ clock }),
      app: 'a',
      deployment: 'd',
      mode: 'enforce',
      registry,
      maintenanceIntervalMs: false,
    });
    const l = rt.use(s.log);
    for (let i = 0; i < 5; i++) l.emit('s', { n: i });
    await l.flush();
    expect(l.stats()).toEqual({ appended: 5, dropped: 0, pending: 0 });
    expect((await l.read('s', { after: 2 })).map((e) => e.value.n)).toEqual([2, 3, 4]);
    await expect(l.read('s')).rejects.toMatchObject({ code: 'STATEPROOF_LOG_TRIMMED' });
    expect(() => l.emit('s', { n: 'x' } as never)).toThrow(
      expect.objectContaining({ code: 'STATEPROOF_SCHEMA_VIOLATION' }),
    );

    const c = rt.use(s.claim);
    const got = await c.acquire('k', { owner: 'w' });
    await expect(c.complete('k', (got as { token: number }).token, { n: 'bad' } as never)).rejects.toMatchObject({
      code: 'STATEPROOF_SCHEMA_VIOLATION',
    });
    await c.complete('k', (got as { token: number }).token, { n: 7 });
    expect(await c.acquire('k', { owner: 'x' })).toMatchObject({ status: 'completed', result: { n: 7 } });

    const q = rt.use(s.queue);
    await q.enqueue({ n: 1 }, { delayMs: 10, priority: 2 });
    expect(await q.claim({ worker: 'w' })).toEqual([]);
    clock.advance(10);
    const [t] = await q.claim({ worker: 'w' });
    expect(t!.payload).toEqual({ n: 1 });
    await q.complete(t!, 'done');
    expect(await q.get(t!.id)).toMatchObject({ state: 'succeeded', result: 'done', payload: { n: 1 } });
    await expect(q.heartbeat({ id: t!.id } as never)).rejects.toMatchObject({
      code: 'STATEPROOF_INVALID_OPTIONS',
      path: 'task',
    });
    await expect(q.enqueue({ n: 1 }, { runAt: 5, delayMs: 5 })).rejects.toMatchObject({ path: 'delayMs' });

    const d = rt.use(s.dataspace);
    const sess = await d.openSession({ owner: 'node-a' });
    await sess.assert('r', { n: 1 });
    expect(await d.get('r')).toMatchObject({ value: { n: 1 }, owner: 'node-a' });
    await expect(d.list({ type: 'glob', pattern: 'bad\\' })).rejects.toMatchObject({
      code: 'STATEPROOF_INVALID_OPTIONS',
    });
    clock.advance(100);
    expect(await rt.maintain()).toMatchObject({
      dataspaces: { routes: { expired: 1, retracted: 1 } },
      queues: { jobs: { lost: 0 } },
    });
    expect(await d.get('r')).toBeNull();

    const ch = rt.use(s.channel);
    const sub = await ch.subscribe({ topic: 't' });
    await ch.publish('t', { n: 3 });
    expect((await sub.next()).value).toMatchObject({ type: 'message', message: { n: 3 } });
    await expect(ch.subscribe({ topic: 't', pattern: '*' } as never)).rejects.toMatchObject({ path: 'selector' });

    await rt.close();
    await rt.close();
    await expect(c.get('k')).rejects.toMatchObject({ code: 'STATEPROOF_CLOSED' });
    expect(() => rt.use(s.claim)).toThrow(expect.objectContaining({ code: 'STATEPROOF_CLOSED' }));
  });

  it('counts drops of non-blocking emits when the backend fails, without blocking the caller', async () => {
    let events!: ReturnType<typeof log<'events', typeof Item>>;
    const rt = await runtime(
      (registry) =>
        (events = log('events', { durability: 'telemetry', value: Item, retention: { maxEntries: 10 }, registry })),
    );
    const h = rt.use(events);
    await rt.adapter.close(); // the backend goes away under the runtime
    h.emit('s', { n: 1 });
    h.emit('s', { n: 2 });
    expect(h.stats().pending).toBe(2);
    await h.flush();
    expect(h.stats()).toEqual({ appended: 0, dropped: 2, pending: 0 });
  });

  it('refuses to open without an adapter or with a bad mode', async () => {
    await expect(openRuntime({} as never)).rejects.toMatchObject({
      code: 'STATEPROOF_INVALID_OPTIONS',
      path: 'adapter',
    });
    await expect(
      openRuntime({ adapter: memoryAdapter(), mode: 'strict' as never, registry: createRegistry() }),
    ).rejects.toMatchObject({ path: 'mode' });
    await expect(
      openRuntime({ adapter: memoryAdapter(), app: 'a', deployment: 'd', registry: createRegistry(), replicas: 0 }),
    ).rejects.toMatchObject({ path: 'replicas' });
  });

  it('exposes the manifest of what it bound, and use() of a later ephemeral definition works', async () => {
    const registry = createRegistry();
    record('b', { durability: 'ephemeral', value: Item, registry });
    record('a', { durability: 'ephemeral', value: Item, registry });
    const rt = await openRuntime({
      adapter: memoryAdapter(),
      app: 'x',
      deployment: 'y',
      mode: 'enforce',
      registry,
      maintenanceIntervalMs: false,
    });
    expect(rt.manifest.surfaces.map((s) => s.id)).toEqual(['a', 'b']);
    const late = record('late', { durability: 'ephemeral', value: Item, registry });
    await rt.use(late).put('k', { n: 1 });
    expect((await rt.use(late).get('k'))?.value).toEqual({ n: 1 });
    await rt.close();
  });
});
