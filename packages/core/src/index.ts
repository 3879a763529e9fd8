/**
 * @stateproof/core: define state surfaces with a declared durability class, bind them to an adapter,
 * and enforce the contract at runtime.
 * @packageDocumentation
 */
export * from './time/clock.js';
export * from './errors/input-errors.js';
export * from './errors/outcome-errors.js';
export * from './scope/validate-key.js';
export * from './scope/key-order.js';
export * from './scope/glob.js';
export * from './scope/runtime-scope.js';
export * from './scope/scoped-space.js';
export * from './queue/backoff.js';
export * from './subscription/subscription.js';
export * from './subscription/event-buffer.js';
export * from './surface/defaults.js';
export * from './adapter/surface-binding.js';
export * from './adapter/record-store.js';
export * from './adapter/log-store.js';
export * from './adapter/claim-store.js';
export * from './adapter/queue-store.js';
export * from './adapter/dataspace-store.js';
export * from './adapter/channel-store.js';
export * from './adapter/adapter.js';
