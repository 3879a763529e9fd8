/**
 * `@stateproof/adapter-postgres/conformance`: the Postgres adapter's conformance kit. Its target
 * (each instance a small pool of its own on one schema per namespace, connection faults by
 * pg_terminate_backend), the control of a harness-owned server for backend kills, and the engine
 * mutants only Postgres can carry.
 * @packageDocumentation
 */
export * from './postgres-kit.js';
export * from './postgres-target.js';
export * from './postgres-server.js';
export * from './postgres-mutants.js';
export * from './mutants/no-op-fault-mutants.js';
