// @stateproof/docs: deterministic Markdown from the contract, a project's inventory and certificates
// (docs/architecture.md). Pure renderers plus one writer; the CLI's `stateproof docs` reads the inputs.
export * from './version.js';
export * from './markdown/anchor.js';
export * from './markdown/markdown-table.js';
export * from './markdown/broken-links.js';
export * from './generated/generated-file.js';
export * from './generated/write-generated.js';
export * from './contract/contract-reference.js';
export * from './inventory/mermaid-diagrams.js';
export * from './inventory/inventory-page.js';
export * from './matrix/certification-matrix.js';
