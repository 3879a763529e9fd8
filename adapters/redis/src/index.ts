/**
 * @stateproof/adapter-redis: the Redis reference adapter for every stateproof surface kind, on
 * ioredis. Each operation is one Lua script run atomically on the server, with time from `TIME`;
 * writes carry an operation id, so a retry after a lost reply is applied once. Certified
 * shared-durable when the probe finds AOF with `appendfsync always`, no eviction and no failover.
 * Its conformance kit (target, harness-owned server, engine mutants) is the subpath
 * `@stateproof/adapter-redis/conformance`.
 * @packageDocumentation
 */
export * from './redis-adapter.js';
export * from './redis-options.js';
export * from './redis-capabilities.js';
export * from './redis-probe.js';
export * from './client/key-layout.js';
export * from './client/redis-errors.js';
export * from './client/redis-connection.js';
export * from './client/lua-script.js';
export * from './client/script-runner.js';
export * from './client/redis-subscriber.js';
export { RedisDeploymentRegistry } from './stores/redis-deployment-registry.js';
// The record and log scripts themselves (each documented where it is defined), so that a tool can
// replay exactly what the adapter sends: the benchmark's raw-ioredis side runs them with EVALSHA.
export { RECORD_DELETE, RECORD_GET, RECORD_LIST, RECORD_PUT } from './scripts/record-scripts.js';
export { LOG_APPEND, LOG_COMMIT_CURSOR, LOG_GET_CURSOR, LOG_READ } from './scripts/log-scripts.js';
