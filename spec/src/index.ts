/**
 * @stateproof/spec: the contract as data. The durability taxonomy, the document schemas (TypeBox,
 * generated into spec/schema), the normative requirements of spec/contract, RFC 8785 canonical JSON
 * and the manifest fingerprint.
 * @packageDocumentation
 */
export * from './version.js';
export * from './errors/error-codes.js';
export * from './errors/stateproof-error.js';
export * from './errors/json-errors.js';
export * from './json/json-pointer.js';
export * from './json/ijson.js';
export * from './json/canonical-json.js';
export * from './json/fingerprint.js';
export * from './json/strict-json-parse.js';
export * from './taxonomy/surface-kind.js';
export * from './taxonomy/durability-class.js';
export * from './taxonomy/class-faults.js';
export * from './taxonomy/conformance-check.js';
export * from './schemas/common.js';
export * from './schemas/surface-definition.js';
export * from './schemas/manifest.js';
export * from './schemas/inventory.js';
export * from './schemas/adapter-capabilities.js';
export * from './schemas/probe-result.js';
export * from './schemas/certificate.js';
export * from './schemas/lint-report.js';
export * from './schemas/all-schemas.js';
export * from './schemas/document-validator.js';
export * from './manifest/strip-annotations.js';
export * from './manifest/semantic-part.js';
export * from './manifest/inventory-entries.js';
export * from './contract/requirements.js';
