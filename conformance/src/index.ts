/**
 * @stateproof/conformance: the suite an adapter must pass to be certified for a durability class.
 * Model-based properties traced to every requirement id of spec/contract, concurrency checked for
 * linearizability, hooks for restart and crash checks, deliberately broken adapters, certificates.
 * @packageDocumentation
 */
export * from './requirements/requirement-ids.js';
export * from './requirements/requirement-ids-module.js';
export * from './requirements/contract-requirements.js';
export * from './requirements/requirement-index.js';
export * from './environment/conformance-target.js';
export * from './environment/write-delay.js';
export * from './environment/time-control.js';
export * from './environment/fixture.js';
export * from './environment/property-spec.js';
export * from './environment/append-gate.js';
export * from './environment/projection-source-class.js';
export { UnexpectedOperationError } from './environment/unexpected-operation-error.js';
export { operationRequirements } from './environment/operation-requirements.js';
export * from './suite/run-property.js';
export * from './suite/applicability.js';
export * from './suite/progress.js';
export * from './suite/requirement-verdicts.js';
export * from './suite/run-conformance.js';
export * from './suite/class-verdicts.js';
export * from './suite/crash-requirements.js';
export * from './suite/selection-error.js';
export * from './suite/run-selection.js';
export * from './suite/target-error.js';
export * from './suite/tool-version.js';
export * from './models/model-mismatch.js';
export * from './models/outcome.js';
export * from './models/record-model.js';
export * from './properties/all-properties.js';
export { SubscriptionReader } from './properties/common/subscription-reader.js';
export * from './mutants/mutant.js';
export * from './mutants/run-mutants.js';
export * from './kit/conformance-kit.js';
export * from './linearizability/index.js';
export * from './crash/crash-protocol.js';
export * from './crash/crash-surfaces.js';
export * from './crash/crash-history.js';
export * from './crash/load-target.js';
export * from './crash/crash-options.js';
export * from './crash/run-crash.js';
export * from './crash/free-port.js';
export * from './crash/crash-certificate.js';
export * from './outage/run-telemetry-outage.js';
export * from './outage/outage-certificate.js';
