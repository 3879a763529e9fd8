/**
 * `@stateproof/adapter-sqlite/conformance`: the SQLite adapter's conformance kit. Its target (one
 * database file shared by every instance, as by the processes of one host; also the recipe the
 * crash harness's worker processes follow) and the engine mutants only SQLite can carry.
 * @packageDocumentation
 */
export * from './sqlite-kit.js';
export * from './sqlite-target.js';
export * from './sqlite-mutants.js';
