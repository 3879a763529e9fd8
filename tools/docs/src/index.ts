// @stateproof/docs: Markdown from the contract, an inventory and certificates (docs/architecture.md).
export * from './version.js';
