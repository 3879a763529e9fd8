/**
 * `@stateproof/adapter-redis/conformance`: the Redis adapter's conformance kit. Its target (each
 * instance with connections of its own on one key namespace, connection faults by CLIENT KILL), the
 * control of a harness-owned server for backend kills, and the engine mutants only Redis can carry.
 * @packageDocumentation
 */
export * from './redis-kit.js';
export * from './redis-target.js';
export * from './redis-admin.js';
export * from './redis-server.js';
export * from './redis-mutants.js';
export * from './mutants/lying-probe-mutants.js';
