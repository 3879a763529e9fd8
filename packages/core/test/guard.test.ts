import { describe, expect, it } from 'vitest';
import { MEMORY_CAPABILITIES, MemoryAdapter, memoryAdapter } from '@stateproof/adapter-memory';
import { ClosedGate, guardAdapter, type Adapter, type AdapterCapabilities } from '@stateproof/core/adapter-kit';

const space = 'sp1:t:a:app:s:';

/** Capabilities claiming every kind and no optional feature. */
const NO_FEATURES: AdapterCapabilities = {
  ...MEMORY_CAPABILITIES,
  kinds: Object.fromEntries(
    Object.entries(MEMORY_CAPABILITIES.kinds).map(([kind, s]) => [
      kind,
      { ...s, features: Object.fromEntries(Object.keys(s.features).map((f) => [f, false])) },
    ]),
  ),
};

/** An adapter whose stores record every call they receive (and do nothing). */
function recordingAdapter(calls: string[]): Adapter {
  // Not a thenable (no `then`), so that awaiting the opener yields the store itself.
  const store = new Proxy(
    {},
    { get: (_t, op) => (op === 'then' ? undefined : async () => void calls.push(String(op))) },
  );
  const open = async () => store as never;
  return {
    name: 'recording',
    version: '1',
    namespace: 'n',
    capabilities: NO_FEATURES,
    clock: undefined,
    probe: async () => ({}) as never,
    openRecord: open,
    openLog: open,
    openQueue: open,
    openDataspace: open,
    openChannel: open,
    close: async () => undefined,
  };
}

describe('guardAdapter', () => {
  it('is the adapter in every other respect: its class, its own members', () => {
    const raw = memoryAdapter();
    const view = guardAdapter(raw);
    expect(view).toBeInstanceOf(MemoryAdapter);
    expect(view.constructor).toBe(MemoryAdapter);
    expect(view.backend).toBe(raw.backend);
    expect(view.capabilities).toBe(raw.capabilities);
  });

  it('refuses every operation once closed, before the adapter sees it, naming what was closed', async () => {
    const raw = memoryAdapter();
    const view = guardAdapter(raw);
    const store = await view.openRecord({ surfaceId: 's', kind: 'record', class: 'ephemeral', space });
    await store.put('k', 'v');
    await view.close();
    const closed = { code: 'STATEPROOF_CLOSED', message: 'memory adapter is closed' };
    await expect(store.get('k')).rejects.toMatchObject(closed);
    await expect(view.probe()).rejects.toMatchObject(closed);
    await expect(view.openLog({ surfaceId: 's', kind: 'log', class: 'ephemeral', space })).rejects.toMatchObject(
      closed,
    );
    const member = { app: 'a', deployment: 'd', instance: 'i', fingerprint: 'f' };
    await expect(view.deployments.register(member, 100)).rejects.toMatchObject(closed);

    const gate = new ClosedGate();
    const owned = guardAdapter(memoryAdapter(), gate);
    const claims = await owned.openClaim({ surfaceId: 's', kind: 'claim', class: 'ephemeral', space });
    gate.close('runtime');
    await expect(claims.get('k')).rejects.toMatchObject({ code: 'STATEPROOF_CLOSED', message: 'runtime is closed' });
  });

  it('refuses what the adapter does not claim, so the adapter never receives it', async () => {
    const calls: string[] = [];
    const view = guardAdapter(recordingAdapter(calls));
    const base = { surfaceId: 's', class: 'ephemeral' as const, space };
    const record = await view.openRecord!({ ...base, kind: 'record' });
    const log = await view.openLog!({ ...base, kind: 'log' });
    const queue = await view.openQueue!({
      ...base,
      kind: 'queue',
      leaseMs: 1,
      retry: { maxAttempts: 1, baseDelayMs: 1, factor: 1, maxDelayMs: 1, jitter: 0 },
      concurrency: {},
      attemptHistory: 1,
      retention: { finishedMs: 1 },
    });
    const dataspace = await view.openDataspace!({ ...base, kind: 'dataspace', retention: { endedSessionsMs: 1 } });
    const channel = await view.openChannel!({ ...base, kind: 'channel' });
    const refused: Array<[() => Promise<unknown>, string]> = [
      [() => record.put('k', 'v', { ttlMs: 5 }), 'a record TTL (feature "ttl" of record)'],
      [() => record.list({ prefix: '', limit: 1 }), 'listing records (feature "list" of record)'],
      [() => log.append('s', ['a', 'b']), 'atomic batch append (feature "batch" of log)'],
      [() => log.getCursor('s', 'c'), 'durable consumer cursors (feature "cursors" of log)'],
      [() => log.commitCursor('s', 'c', 0), 'durable consumer cursors (feature "cursors" of log)'],
      [() => log.subscribe('s', { after: 0 }), 'log subscriptions (feature "subscribe" of log)'],
      [() => queue.enqueue({ queue: 'q', payload: 'p', idempotencyKey: 'x' }), 'enqueue with an idempotency key'],
      [() => queue.enqueue({ queue: 'q', payload: 'p', priority: 2 }), 'task priorities (feature "priority" of queue)'],
      [() => queue.enqueue({ queue: 'q', payload: 'p', runAt: 5 }), 'delayed tasks (feature "delay" of queue)'],
      [() => queue.enqueueMany([{ queue: 'q', payload: 'p' }]), 'atomic enqueueMany (feature "batch" of queue)'],
      [() => queue.cancel('t'), 'cancellation (feature "cancel" of queue)'],
      [() => queue.acknowledgeCancel('t', 'x'), 'cancellation (feature "cancel" of queue)'],
      [() => dataspace.list({ type: 'glob', pattern: 'a*' }), 'glob filters (feature "glob" of dataspace)'],
      [() => dataspace.subscribe({ type: 'all' }), 'dataspace subscriptions (feature "subscribe" of dataspace)'],
      [() => channel.subscribe({ pattern: 'a*' }), 'pattern subscriptions (feature "patterns" of channel)'],
    ];
    for (const [op, what] of refused) {
      await expect(op()).rejects.toMatchObject({
        code: 'STATEPROOF_UNSUPPORTED',
        message: expect.stringContaining(what),
      });
    }
    expect(calls).toEqual([]);
    await record.put('k', 'v');
    await log.append('s', ['a']);
    await queue.enqueue({ queue: 'q', payload: 'p', priority: 0 });
    await dataspace.list({ type: 'prefix', prefix: 'a' });
    await channel.subscribe({ topic: 't' });
    expect(calls).toEqual(['put', 'append', 'enqueue', 'list', 'subscribe']);
  });
});
