/**
 * @stateproof/adapter-memory: the in-process reference adapter for every surface kind. Certifies
 * the ephemeral class only; takes an injectable clock so tests of expiry never sleep. Its
 * conformance kit (target and mutants) is the subpath `@stateproof/adapter-memory/conformance`.
 * @packageDocumentation
 */
export * from './memory-adapter.js';
export * from './memory-backend.js';
export * from './memory-capabilities.js';
export { MemoryDeploymentRegistry } from './memory-deployment-registry.js';
