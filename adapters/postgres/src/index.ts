/**
 * @stateproof/adapter-postgres: the Postgres reference adapter for every stateproof surface kind,
 * certified shared-durable when the server's durability settings allow it. One schema per
 * namespace, migrated on open; leases judged by the server clock; LISTEN/NOTIFY as wake-up hints only.
 * Its conformance kit (target, harness-owned server, engine mutants) is the subpath
 * `@stateproof/adapter-postgres/conformance`.
 * @packageDocumentation
 */
export * from './postgres-adapter.js';
export * from './postgres-options.js';
export * from './postgres-capabilities.js';
export * from './postgres-probe.js';
export * from './schema/migrations.js';
export * from './schema/migrate.js';
export * from './schema/drop-namespace.js';
export * from './db/sql-names.js';
export * from './db/pg-errors.js';
export * from './db/pg-client.js';
export * from './db/connection-pool.js';
export { PgListener, type Listening, type NotificationHandler } from './notify/pg-listener.js';
export { PgDeploymentRegistry } from './stores/pg-deployment-registry.js';
export { PgQueueStore } from './stores/pg-queue-store.js';
