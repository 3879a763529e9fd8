/**
 * @stateproof/lint: extracts a codebase's state inventory (TypeScript compiler API, no type
 * checker, no regex), checks it against the checked-in manifest and a base, applies the contract
 * rules, and renders text, JSON, SARIF 2.1.0 or GitHub annotations. The ESLint plugin is
 * `@stateproof/lint/eslint-plugin`.
 * @packageDocumentation
 */
export * from './version.js';
export * from './rules/rule-catalog.js';
export * from './diagnostics/lint-diagnostic.js';
export * from './project/display-path.js';
export * from './project/project-files.js';
export type { PathMapping } from './extract/module-graph.js';
export * from './extract/static-value.js';
export * from './extract/find-definitions.js';
export * from './extract/analyse-file.js';
export * from './extract/definition-entry.js';
export * from './extract/extract-project.js';
export * from './extract/suppressions.js';
export * from './documents/document-source.js';
export * from './documents/load-document.js';
export * from './rules/inventory-surface.js';
export * from './rules/inventory-rules.js';
export * from './rules/durability-gap.js';
export * from './rules/current-class.js';
export * from './rules/manifest-rules.js';
export * from './breaking/breaking-level.js';
export * from './breaking/schema-compat.js';
export * from './breaking/breaking-changes.js';
export * from './manifest/manifest-document.js';
export * from './lint.js';
export * from './output/lint-report.js';
export * from './output/format-text.js';
export * from './output/format-sarif.js';
export * from './output/format-github.js';
export * from './output/formats.js';
