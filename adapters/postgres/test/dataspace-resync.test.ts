import { afterAll, describe, expect, it } from 'vitest';
import { BackendUnavailableError, type DataspaceEvent, type DataspaceStore } from '@stateproof/core/adapter-kit';
import { SubscriptionReader } from '@stateproof/conformance';
import { binding, PG_AVAILABLE, TestSchemas } from './pg-test-server.js';

const schemas = new TestSchemas();
afterAll(() => schemas.cleanup());

describe.skipIf(!PG_AVAILABLE)('postgres dataspace subscription', () => {
  it('does not skip a change whose push found the buffer full when the resync that followed failed', async () => {
    const adapter = await schemas.open();
    const store = (await adapter.openDataspace(binding('dataspace'))) as DataspaceStore;
    const { session } = await store.openSession('owner', 60_000);
    const reader = new SubscriptionReader<DataspaceEvent>(await store.subscribe({ type: 'all' }, { bufferSize: 2 }));
    // The next snapshot fails once, as a lost connection would fail it.
    const list = store.list.bind(store);
    let failures = 0;
    Object.assign(store, {
      list: async (filter: Parameters<DataspaceStore['list']>[0]) => {
        if (failures++ === 0) throw new BackendUnavailableError('test: the snapshot of the resync fails once');
        return list(filter);
      },
    });
    // The snapshot and a1 fill the buffer of two; a2 does not fit, and the resync it asks for fails.
    await store.assert(session, 'a1', '"one"');
    await store.assert(session, 'a2', '"two"');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(failures).toBeGreaterThan(0);
    const seen = await reader.drain(1500);
    // a2 arrives, by itself or in a fresh snapshot after a resync: never dropped without a word.
    const delivered = seen.some(
      (e) =>
        (e.type === 'asserted' && e.assertion.id === 'a2') ||
        (e.type === 'snapshot' && e.assertions.some((a) => a.id === 'a2')),
    );
    expect(delivered, JSON.stringify(seen.map((e) => e.type))).toBe(true);
    await reader.sub.close();
  });
});
