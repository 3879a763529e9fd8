/**
 * @stateproof/core/adapter-kit: everything an adapter author needs, in one entry. The adapter and
 * store interfaces with the bindings they receive; the contract's rules as pure functions (lease and
 * fencing decisions, retry and backoff, attempt bounds, session liveness), so that every adapter
 * decides alike and differs only where its backend does; the lifecycle, subscription, key-order,
 * prefix and glob helpers; the typed errors; and the core-side guard that owns closed state and
 * feature gating in front of the stores.
 * @packageDocumentation
 */
export * from './time/clock.js';
export * from './errors/input-errors.js';
export * from './errors/outcome-errors.js';
export * from './validation/option-checks.js';
export * from './validation/redact-url.js';
export * from './errors/socket-error-codes.js';
export * from './scope/validate-key.js';
export * from './scope/scoped-space.js';
export * from './scope/key-order.js';
export * from './scope/glob.js';
export * from './scope/prefix-range.js';
export * from './scope/dataspace-filter.js';
export * from './scope/channel-selector.js';
export * from './subscription/subscription.js';
export * from './subscription/event-buffer.js';
export * from './subscription/pump.js';
export * from './subscription/pull-subscription.js';
export * from './subscription/wake-signal.js';
export * from './subscription/lagging-delivery.js';
export * from './subscription/map-subscription.js';
export * from './adapter/surface-binding.js';
export * from './adapter/record-store.js';
export * from './adapter/projection-commit.js';
export * from './adapter/log-store.js';
export * from './adapter/claim-store.js';
export * from './adapter/queue-store.js';
export * from './adapter/dataspace-store.js';
export * from './adapter/channel-store.js';
export * from './adapter/adapter.js';
export * from './adapter/all-features.js';
export * from './adapter/adapter-lifecycle.js';
export * from './adapter/coalescer.js';
export * from './adapter/lease-judgement-hook.js';
export * from './record/compare-and-set.js';
export * from './record/record-ttl.js';
export * from './log/trimmed-read.js';
export * from './log/cursor-commit.js';
export * from './projection/projection-commit-rule.js';
export * from './claim/claim-lease.js';
export * from './claim/claim-holder.js';
export * from './claim/acquire-decision.js';
export * from './queue/backoff.js';
export * from './queue/attempt-lease-end.js';
export * from './queue/attempt-lost.js';
export * from './queue/retry-decision.js';
export * from './queue/attempt-history.js';
export * from './queue/reap-attempt.js';
export * from './queue/reap-report.js';
export * from './queue/claim-order.js';
export * from './queue/cancel-decision.js';
export * from './queue/finished-retention.js';
export * from './dataspace/session-expired.js';
export * from './dataspace/session-check.js';
export * from './dataspace/close-session-decision.js';
export * from './dataspace/foreign-owner.js';
export * from './dataspace/ended-session-retention.js';
export * from './guard/closed-gate.js';
export * from './guard/guard-adapter.js';
