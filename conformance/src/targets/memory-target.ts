import { memoryAdapter, MemoryBackend } from '@stateproof/adapter-memory';
import type { ConformanceTarget } from '../suite/conformance-target.js';

/** The memory adapter as a conformance target: all instances share one backend, so peers see each other. */
export function memoryTarget(): ConformanceTarget {
  const backend = new MemoryBackend();
  return {
    name: 'memory',
    create: ({ namespace, clock }) => memoryAdapter({ namespace, clock, backend }),
    dispose: (namespace) => backend.drop(namespace),
    describeBackend: async () => ({ name: 'memory', version: process.version, settings: { persistence: 'none' } }),
  };
}
