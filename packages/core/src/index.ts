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
export * from './scope/prefix-range.js';
export * from './scope/runtime-scope.js';
export * from './scope/scoped-space.js';
export * from './queue/backoff.js';
export * from './subscription/subscription.js';
export * from './subscription/event-buffer.js';
export * from './subscription/pump.js';
export * from './subscription/lagging-delivery.js';
export * from './surface/defaults.js';
export * from './adapter/surface-binding.js';
export * from './adapter/record-store.js';
export * from './adapter/log-store.js';
export * from './adapter/claim-store.js';
export * from './adapter/queue-store.js';
export * from './adapter/dataspace-store.js';
export * from './scope/dataspace-filter.js';
export * from './adapter/channel-store.js';
export * from './adapter/adapter.js';
export * from './adapter/adapter-lifecycle.js';
export * from './validation/option-checks.js';
export * from './subscription/map-subscription.js';
export * from './codec/envelope.js';
export * from './codec/value-codec.js';
export * from './surface/surface.js';
export * from './surface/surface-options.js';
export * from './surface/record.js';
export * from './surface/log.js';
export * from './surface/claim.js';
export * from './surface/queue.js';
export * from './surface/dataspace.js';
export * from './surface/channel.js';
export * from './registry/registry.js';
export * from './manifest/build-manifest.js';
export * from './manifest/manifest-diff.js';
export * from './manifest/read-manifest.js';
export * from './runtime/mode.js';
export * from './runtime/violations.js';
export * from './runtime/violation-reporter.js';
export * from './runtime/handle-of.js';
export * from './runtime/handles/record-handle.js';
export * from './runtime/handles/log-handle.js';
export * from './runtime/handles/claim-handle.js';
export * from './runtime/handles/queue-handle.js';
export * from './runtime/handles/dataspace-handle.js';
export * from './runtime/handles/channel-handle.js';
export * from './runtime/open-runtime.js';
export * from './runtime/binding-of.js';
