import { describe, expect, it } from 'vitest';
import type { Adapter } from '@stateproof/core';
import { memoryTarget } from '@stateproof/adapter-memory/conformance';
import { ALL_PROPERTIES, runConformance, type ConformanceTarget, type ConnectionFaults } from '@stateproof/conformance';

// The connection-loss properties trust no fault hook: after dropConnections the connections the
// adapter held must be gone. The memory adapter has no connection, so these fixture targets stand in
// for one whose identity either survives the "fault" (a no-op hook) or changes (a real one).
const LOSS = ['record/connection-loss', 'channel/connection-loss'] as const;
const SEED = 20261203;

function withFaults(faults: ConnectionFaults | Pick<ConnectionFaults, 'dropConnections'>): ConformanceTarget {
  return { ...memoryTarget(), name: 'memory (fault fixture)', faults: faults as ConnectionFaults };
}

async function run(target: ConformanceTarget) {
  const report = await runConformance({
    target,
    properties: ALL_PROPERTIES.filter((p) => (LOSS as readonly string[]).includes(p.name)),
    runs: 20,
    seed: SEED,
    shrinkTimeMs: 500,
  });
  return LOSS.map((name) => report.outcomes.find((o) => o.name === name));
}

/** A fake connection per adapter instance, replaced only when dropConnections runs. */
function generations(): ConnectionFaults & { drops: number } {
  const generation = new WeakMap<Adapter, number>();
  const self = {
    drops: 0,
    async dropConnections(adapter: Adapter) {
      self.drops++;
      generation.set(adapter, (generation.get(adapter) ?? 0) + 1);
    },
    async connectionIdentity(adapter: Adapter) {
      return [`connection-${generation.get(adapter) ?? 0}`];
    },
  };
  return self;
}

describe('fault verification of the connection-loss properties', () => {
  it('a dropConnections that does nothing fails both with "fault not injected", naming the requirement', async () => {
    const outcomes = await run(withFaults({ ...generations(), dropConnections: async () => undefined }));
    expect(outcomes.map((o) => [o?.status, o?.failedRequirements])).toEqual([
      ['fail', ['REC-031']],
      ['fail', ['CHN-014']],
    ]);
    for (const o of outcomes)
      expect(o?.reason).toMatch(/fault not injected: after dropConnections 1 of the 1 connections/);
  });

  it('a target with dropConnections but no connectionIdentity fails, saying to add it', async () => {
    const outcomes = await run(withFaults({ dropConnections: async () => undefined }));
    for (const o of outcomes) {
      expect(o?.status).toBe('fail');
      expect(o?.reason).toMatch(/fault not injected \(cannot be verified\).*add it/);
    }
  });

  it('an adapter that held no connection and saw no loss is not taken as evidence', async () => {
    const outcomes = await run(
      withFaults({ dropConnections: async () => undefined, connectionIdentity: async () => [] }),
    );
    for (const o of outcomes) expect(o?.reason).toMatch(/fault not injected: the adapter held no connection/);
  });

  it('a fault whose connections are replaced passes both', async () => {
    const faults = generations();
    const outcomes = await run(withFaults(faults));
    expect(outcomes.map((o) => [o?.name, o?.status, o?.reason])).toEqual(LOSS.map((n) => [n, 'pass', undefined]));
    expect(faults.drops).toBeGreaterThan(4);
  });
});
