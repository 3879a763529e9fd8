/**
 * @stateproof/adapter-memory: the in-process reference adapter for every surface kind. Certifies
 * the ephemeral class only; takes an injectable clock so tests of expiry never sleep.
 * @packageDocumentation
 */
export * from './memory-adapter.js';
export * from './memory-backend.js';
export * from './memory-capabilities.js';
/** Moved to core; re-exported so existing imports keep working. */
export { AdapterLifecycle, filterMatcher } from '@stateproof/core/adapter-kit';
export * from './memory-record-store.js';
export * from './memory-log-store.js';
export * from './memory-claim-store.js';
export * from './memory-queue-store.js';
export * from './memory-dataspace-store.js';
export * from './memory-channel-store.js';
export * from './memory-deployment-registry.js';
