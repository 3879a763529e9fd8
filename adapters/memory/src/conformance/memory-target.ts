import { memoryAdapter } from '../memory-adapter.js';
import { MemoryBackend } from '../memory-backend.js';
import type { ConformanceTarget } from '@stateproof/conformance';

/** The memory adapter as a conformance target: all instances share one backend, so peers see each other. */
export function memoryTarget(): ConformanceTarget {
  const backend = new MemoryBackend();
  return {
    name: 'memory',
    create: ({ namespace, clock, writeDelay }) =>
      memoryAdapter({
        namespace,
        clock,
        backend,
        ...(writeDelay ? { testHooks: { beforeLeaseJudgement: writeDelay } } : {}),
      }),
    writeDelay: true,
    dispose: (namespace) => backend.drop(namespace),
    describeBackend: async () => ({ name: 'memory', version: process.version, settings: { persistence: 'none' } }),
  };
}
