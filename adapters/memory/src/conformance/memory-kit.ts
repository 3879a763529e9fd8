import type { ConformanceKit } from '@stateproof/conformance';
import { memoryTarget } from './memory-target.js';
import { MEMORY_MUTANTS } from './mutants/memory-mutants.js';

/** The memory adapter's conformance kit: its target and the mutants planted in it. */
export const memoryKit: ConformanceKit = {
  name: 'memory',
  description: 'the in-process reference adapter (ephemeral)',
  target: () => memoryTarget(),
  mutants: MEMORY_MUTANTS,
};
