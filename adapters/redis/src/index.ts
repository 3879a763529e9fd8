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
