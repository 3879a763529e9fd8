/**
 * `@stateproof/adapter-memory/conformance`: the memory adapter's conformance kit. Its target, and
 * the mutants (the memory adapter with one realistic bug planted each) with which the suite proves
 * its own strength. Depends on `@stateproof/conformance`; the adapter's main entry does not.
 * @packageDocumentation
 */
export * from './memory-kit.js';
export * from './memory-target.js';
export * from './mutants/memory-mutants.js';
export * from './mutants/mutant-target.js';
export { restartSafeLiarTarget } from './mutants/durability-mutants.js';
