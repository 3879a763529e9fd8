/**
 * A linearizability checker in the manner of Porcupine: histories of timed calls (some possibly
 * never returned), a sequential model, P-compositional partitions, Wing & Gong / Lowe's memoised
 * search, 'unknown' on timeout, and on failure the longest linearizable prefix with the operations
 * that cannot follow it. Plus models of the stateproof surfaces under concurrency.
 * @packageDocumentation
 */
export * from './operation.js';
export * from './sequential-model.js';
export * from './check-linearizability.js';
export * from './explain-failure.js';
export * from './describe-history.js';
export * from './history-recorder.js';
export * from './recorded-history.js';
export * from './invalid-history-error.js';
export * from './history-models.js';
export * from './history-view.js';
export * from './save-history-view.js';
export * from './models/register-model.js';
export * from './models/kv-model.js';
export * from './models/record-cas-model.js';
export * from './models/claim-lease-model.js';
export * from './models/queue-exclusivity-model.js';
export * from './models/log-stream-model.js';
export * from './models/dataspace-ownership-model.js';
