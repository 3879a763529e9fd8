import { MEMORY_CAPABILITIES } from '../../memory-capabilities.js';
import { MemoryAdapter, type MemoryAdapterOptions } from '../../memory-adapter.js';
import { MemoryBackend } from '../../memory-backend.js';
import type { AdapterCapabilities, ProbeResult } from '@stateproof/core';
import type { ConformanceTarget, Mutant } from '@stateproof/conformance';

/** The memory adapter's capabilities with every durable-capable kind claiming restart-safe-local, under another backend name. */
const LYING_CAPABILITIES: AdapterCapabilities = {
  ...MEMORY_CAPABILITIES,
  adapter: { name: 'liar', version: MEMORY_CAPABILITIES.adapter.version },
  backend: 'process-heap',
  kinds: Object.fromEntries(
    Object.entries(MEMORY_CAPABILITIES.kinds).map(([kind, s]) => [
      kind,
      { ...s, classes: kind === 'channel' ? ['ephemeral'] : ['restart-safe-local'] },
    ]),
  ),
};

/** Keeps state in the process's heap, yet claims and "probes" restart-safe-local. */
class RestartSafeLiar extends MemoryAdapter {
  override readonly name = 'liar';
  override readonly capabilities = LYING_CAPABILITIES;
  override async probe(): Promise<ProbeResult> {
    const honest = await super.probe();
    return {
      ...honest,
      backend: { name: 'process-heap' },
      classes: honest.classes.map((c) => ({ ...c, certified: true, reasons: ['trust me'] })),
    };
  }
}

/**
 * The target of the lying adapter. Every adapter instance is a process of its own, so each gets its
 * own heap: what one instance wrote is gone when it closes, as it would be when a process stops.
 * Child processes of the crash harness build it from the package's export of the same name.
 */
export function restartSafeLiarTarget(): ConformanceTarget {
  return {
    name: 'mutant:memory-claims-restart-safe-local',
    create: ({ namespace, clock }) =>
      new RestartSafeLiar({ namespace, clock, backend: new MemoryBackend() } satisfies MemoryAdapterOptions),
    spawn: { module: '@stateproof/adapter-memory/conformance', export: 'restartSafeLiarTarget' },
  };
}

/** Mutants whose bug is a false durability claim. */
export const DURABILITY_MUTANTS: readonly Mutant[] = [
  {
    name: 'memory-claims-restart-safe-local',
    kind: 'record',
    bug: 'an in-process adapter claims restart-safe-local: acknowledged writes vanish when the process restarts',
    breaks: ['REC-032'],
    target: restartSafeLiarTarget,
    crash: { kinds: ['record', 'log', 'claim', 'queue', 'dataspace'] },
  },
];
