/**
 * @stateproof/adapter-sqlite: every stateproof surface kind in one SQLite database file (better-sqlite3).
 * Certifies restart-safe-local with the default WAL journal and `synchronous=FULL`; shared by the
 * processes of one host; takes an injectable clock. Its conformance kit (target and engine mutants)
 * is the subpath `@stateproof/adapter-sqlite/conformance`.
 * @packageDocumentation
 */
export * from './sqlite-adapter.js';
export * from './sqlite-options.js';
export * from './sqlite-capabilities.js';
export * from './sqlite-probe.js';
export { SqliteDeploymentRegistry } from './stores/sqlite-deployment-registry.js';
export * from './schema/drop-namespace.js';
export * from './schema/namespace-migrations.js';
export * from './schema/namespace-tables.js';
export * from './schema/file-schema.js';
