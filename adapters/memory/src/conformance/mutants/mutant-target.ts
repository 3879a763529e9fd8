import type { MemoryAdapterOptions } from '../../memory-adapter.js';
import { MemoryBackend } from '../../memory-backend.js';
import type { Adapter } from '@stateproof/core';
import type { ConformanceTarget } from '@stateproof/conformance';

/** A memory adapter class with one store (or more) replaced by a broken subclass. */
export type MutantAdapterClass = new (options: MemoryAdapterOptions) => Adapter;

/** A conformance target for a mutant adapter class, sharing one backend across instances like the memory target. */
export function mutantTarget(name: string, Adapter: MutantAdapterClass): ConformanceTarget {
  const backend = new MemoryBackend();
  return {
    name: `mutant:${name}`,
    create: ({ namespace, clock }) => new Adapter({ namespace, clock, backend }),
    dispose: (namespace) => backend.drop(namespace),
  };
}
