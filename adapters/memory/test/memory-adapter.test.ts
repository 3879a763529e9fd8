import { describe, expect, it } from 'vitest';
import {
  AdapterCapabilitiesSchema,
  checkDocument,
  KIND_FEATURES,
  ProbeResultSchema,
  SURFACE_KINDS,
} from '@stateproof/spec';
import { guardAdapter } from '@stateproof/core/adapter-kit';
import { memoryAdapter, MEMORY_CAPABILITIES } from '@stateproof/adapter-memory';
import { binding, setup } from './binding.js';

describe('memory adapter', () => {
  it('declares every kind and feature, for the ephemeral class (and telemetry for logs) only, with an injectable clock', () => {
    expect(checkDocument(AdapterCapabilitiesSchema, MEMORY_CAPABILITIES)).toEqual([]);
    expect(MEMORY_CAPABILITIES.clock).toBe('injectable');
    for (const kind of SURFACE_KINDS) {
      // Telemetry is best effort and bounded, which a process heap honestly gives; nothing durable.
      expect(MEMORY_CAPABILITIES.kinds[kind]?.classes).toEqual(
        kind === 'log' ? ['ephemeral', 'telemetry'] : ['ephemeral'],
      );
      expect(Object.keys(MEMORY_CAPABILITIES.kinds[kind]?.features ?? {}).sort()).toEqual(
        [...KIND_FEATURES[kind]].sort(),
      );
    }
  });

  it('probes honestly: ephemeral and telemetry only, with reasons', async () => {
    const probe = await memoryAdapter().probe();
    expect(checkDocument(ProbeResultSchema, probe)).toEqual([]);
    expect(
      probe.classes
        .filter((c) => c.certified)
        .map((c) => c.class)
        .sort(),
    ).toEqual(['ephemeral', 'telemetry']);
    for (const c of probe.classes) expect(c.reasons[0]?.length).toBeGreaterThan(10);
  });

  it('closes idempotently, refuses every operation after (core guard), leaves adapters sharing its backend open', async () => {
    const { adapter: raw, backend } = setup();
    const adapter = guardAdapter(raw);
    const twin = setup({ backend }).adapter;
    const rec = await adapter.openRecord(binding('record'));
    await adapter.close();
    await adapter.close();
    await expect(rec.get('k')).rejects.toMatchObject({ code: 'STATEPROOF_CLOSED' });
    await expect(adapter.openLog(binding('log'))).rejects.toMatchObject({ code: 'STATEPROOF_CLOSED' });
    await expect(adapter.probe()).rejects.toMatchObject({ code: 'STATEPROOF_CLOSED' });
    const alive = await twin.openRecord(binding('record'));
    await expect(alive.put('k', 'v')).resolves.toMatchObject({ version: 1 });
  });

  it('keeps a deployment registry with leases, per app and deployment', async () => {
    const { adapter, backend, clock } = setup();
    const twin = setup({ backend }).adapter;
    expect(
      await adapter.deployments.register({ app: 'a', deployment: 'd1', instance: 'p1', fingerprint: 'f1' }, 100),
    ).toEqual([]);
    const peers = await twin.deployments.register(
      { app: 'a', deployment: 'd1', instance: 'p2', fingerprint: 'f2' },
      100,
    );
    expect(peers.map((p) => [p.instance, p.fingerprint])).toEqual([['p1', 'f1']]);
    expect(
      await adapter.deployments.register({ app: 'a', deployment: 'd2', instance: 'p3', fingerprint: 'f3' }, 100),
    ).toEqual([]);
    await twin.deployments.unregister({ app: 'a', deployment: 'd1', instance: 'p2' });
    expect(
      (await adapter.deployments.register({ app: 'a', deployment: 'd1', instance: 'p1', fingerprint: 'f1' }, 100))
        .length,
    ).toBe(0);
    await twin.deployments.register({ app: 'a', deployment: 'd1', instance: 'p2', fingerprint: 'f2' }, 100);
    clock.advance(100);
    // Both leases ran out on this adapter's clock: a newcomer sees no live peer.
    expect(
      await adapter.deployments.register({ app: 'a', deployment: 'd1', instance: 'p4', fingerprint: 'f4' }, 100),
    ).toEqual([]);
  });
});
