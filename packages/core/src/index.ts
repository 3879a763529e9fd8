/**
 * @stateproof/core: the application API. Define state surfaces with a declared durability class,
 * bind them to an adapter with `openRuntime`, and use their typed handles; with the typed errors, the
 * violations and modes, and the manifest and fingerprint. Adapter authors import
 * `@stateproof/core/adapter-kit`, which holds the adapter side.
 * @packageDocumentation
 */
export * from './time/clock.js';
export * from './errors/input-errors.js';
export * from './errors/outcome-errors.js';
export * from './scope/validate-key.js';
export * from './scope/runtime-scope.js';
export * from './scope/scoped-space.js';
export * from './subscription/subscription.js';
export * from './surface/defaults.js';
export * from './codec/envelope.js';
export * from './codec/value-codec.js';
export * from './surface/surface.js';
export * from './surface/surface-options.js';
export * from './surface/surface-option-keys.js';
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
export type { RuntimeOptions } from './runtime/runtime-options.js';
export * from './projection/projection-write.js';
export * from './projection/project-options.js';
export * from './projection/projector.js';
export * from './surface/class-rules.js';
export * from './adapter/projection-commit.js';
export type { EmitStats, EmitPolicy } from './runtime/handles/emit-buffer.js';
export type { Runtime } from './runtime/runtime.js';
export type { MaintenanceReport } from './runtime/maintenance-loop.js';
export type { ReapReport } from './queue/reap-report.js';
export { openRuntime } from './runtime/open-runtime.js';
export * from './runtime/binding-of.js';

// The adapter and store interfaces: an application passes an adapter, and the conformance suite
// calls stores directly to cross-check what the adapter claims. Their home is the adapter kit.
export * from './adapter/adapter.js';
export * from './adapter/surface-binding.js';
export * from './adapter/record-store.js';
export * from './adapter/log-store.js';
export * from './adapter/claim-store.js';
export * from './adapter/queue-store.js';
export * from './adapter/dataspace-store.js';
export * from './adapter/channel-store.js';

// What the conformance suite's models and broken adapters use of the adapter side today.
export { compileGlob } from './scope/glob.js';
export { createEventBuffer } from './subscription/event-buffer.js';
