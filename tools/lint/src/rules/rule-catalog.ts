/** Severity of a diagnostic, as in the lint report schema and SARIF levels. */
export type Severity = 'error' | 'warning' | 'note';

/** What a rule needs to run. */
export type RuleScope =
  /** One source file is enough: also an ESLint rule. */
  | 'file'
  /** The whole inventory (source code or an inventory file). */
  | 'inventory'
  /** The input itself is unusable; the exit status is 2. */
  | 'input';

/** What the linter says about one rule. */
export interface RuleMeta {
  /** Stable kebab-case name; carried by every diagnostic as `rule`. */
  readonly name: string;
  /** Its default severity. */
  readonly severity: Severity;
  /** What it needs to run. */
  readonly scope: RuleScope;
  /** Whether the rule reads source code (so it does not apply to inventory files). */
  readonly needsSource: boolean;
  /** One line. */
  readonly summary: string;
  /** Why the rule exists and how to fix a finding. */
  readonly description: string;
}

/** Where the rule pages live; SARIF and ESLint link to them. */
export const RULE_DOCS_BASE = 'https://stateproof.dev/docs/rules/';

const rule = (r: RuleMeta) => r;

/** Every rule, in the order the docs list them. Names are stable: never rename one. */
export const RULES = {
  /** The dynamic-id rule; docs/rules/dynamic-id.md explains it. */
  'dynamic-id': rule({
    name: 'dynamic-id',
    severity: 'error',
    scope: 'file',
    needsSource: true,
    summary: 'A surface id is computed at run time instead of being a literal or a literal-valued const.',
    description:
      'The id is the identity of stored state across processes, deploys and replicas. Write it as a string literal, a const of literals (concatenation, template literals without runtime parts and `as const` members are fine).',
  }),
  /** The runtime-definition rule; docs/rules/runtime-definition.md explains it. */
  'runtime-definition': rule({
    name: 'runtime-definition',
    severity: 'error',
    scope: 'file',
    needsSource: true,
    summary: 'A non-ephemeral surface is defined inside a function, method, callback, loop or conditional.',
    description:
      'Such a surface is created after openRuntime sealed the registry, on the replicas that happened to run that code. Define it at module top level; only ephemeral surfaces may be created at run time.',
  }),
  /** The duplicate-id rule; docs/rules/duplicate-id.md explains it. */
  'duplicate-id': rule({
    name: 'duplicate-id',
    severity: 'error',
    scope: 'inventory',
    needsSource: false,
    summary: 'Two definitions share one surface id.',
    description:
      "Ids name stored state; two definitions with one id read and write each other's data under different contracts. Give each surface its own id.",
  }),
  /** The non-static-options rule; docs/rules/non-static-options.md explains it. */
  'non-static-options': rule({
    name: 'non-static-options',
    severity: 'error',
    scope: 'file',
    needsSource: true,
    summary: 'An option that the manifest records (durability, bounds, retry, lease, scope…) is computed at run time.',
    description:
      'The manifest and its fingerprint are built without running the code, so the contract must be written with literals or literal-valued consts.',
  }),
  /** The unknown-schema rule; docs/rules/unknown-schema.md explains it. */
  'unknown-schema': rule({
    name: 'unknown-schema',
    severity: 'warning',
    scope: 'file',
    needsSource: true,
    summary: 'A value schema is not statically known; the manifest marks it unknown.',
    description:
      'The linter translates TypeBox builders (Type.Object, Type.String, …) written in the project to JSON Schema. A schema built by other code is recorded as {"x-stateproof-unknown": …}, so the fingerprint the runtime computes will differ and schema changes cannot be checked for compatibility.',
  }),
  /** The invalid-definition rule; docs/rules/invalid-definition.md explains it. */
  'invalid-definition': rule({
    name: 'invalid-definition',
    severity: 'error',
    scope: 'file',
    needsSource: true,
    summary:
      'The definition would be refused when its module loads (bad id, unknown option, class the kind does not allow, missing schema).',
    description:
      'The linter applies the same checks as the definition functions of @stateproof/core, so the error shows in CI instead of at startup.',
  }),
  /** The manifest-drift rule; docs/rules/manifest-drift.md explains it. */
  'manifest-drift': rule({
    name: 'manifest-drift',
    severity: 'error',
    scope: 'inventory',
    needsSource: false,
    summary: 'The checked-in manifest differs from the surfaces the code defines.',
    description:
      'Surfaces were added, removed or changed without regenerating the manifest. Run `stateproof manifest --write` and commit the result.',
  }),
  /** The fingerprint-mismatch rule; docs/rules/fingerprint-mismatch.md explains it. */
  'fingerprint-mismatch': rule({
    name: 'fingerprint-mismatch',
    severity: 'error',
    scope: 'inventory',
    needsSource: false,
    summary: 'A manifest or inventory records a fingerprint that does not match its surfaces.',
    description:
      'The file was edited by hand or merged badly. Regenerate it with `stateproof manifest --write` (or fix the inventory and its fingerprint with `stateproof fingerprint`).',
  }),
  /** The breaking-change rule; docs/rules/breaking-change.md explains it. */
  'breaking-change': rule({
    name: 'breaking-change',
    severity: 'error',
    scope: 'inventory',
    needsSource: false,
    summary:
      'Against the base: a durable surface was removed or renamed, its kind changed, its class downgraded, its scope changed, or its value schema changed incompatibly.',
    description:
      'Stored state outlives the code that wrote it. Levels, as in buf: identity (removals, renames, kind and class), data (also scope and schemas that no longer accept stored values; default) and strict (also schemas that older replicas cannot read).',
  }),
  /** The projection-without-source rule; docs/rules/projection-without-source.md explains it. */
  'projection-without-source': rule({
    name: 'projection-without-source',
    severity: 'error',
    scope: 'inventory',
    needsSource: false,
    summary: 'A derived projection does not name its source surface, or names one that is not in the inventory.',
    description:
      'A projection is rebuilt from its source; without a known source it cannot be rebuilt. Name the source surface id, or external:<name> for a source outside the inventory.',
  }),
  /** The unbounded-telemetry rule; docs/rules/unbounded-telemetry.md explains it. */
  'unbounded-telemetry': rule({
    name: 'unbounded-telemetry',
    severity: 'error',
    scope: 'inventory',
    needsSource: false,
    summary: 'A telemetry surface declares no bound (retention by count or age).',
    description:
      'Telemetry is best effort and must never grow without limit. Give retention.maxEntries or retention.maxAgeMs.',
  }),
  /** The telemetry-as-authority rule; docs/rules/telemetry-as-authority.md explains it. */
  'telemetry-as-authority': rule({
    name: 'telemetry-as-authority',
    severity: 'error',
    scope: 'inventory',
    needsSource: false,
    summary:
      'State that is not an authority is used as one: a derived projection folds a telemetry, ephemeral or non-log source, or a telemetry surface is a claim, queue, record or dataspace.',
    description:
      'Telemetry drops entries by design and ephemeral state may vanish, so neither can be what a projection is rebuilt from, nor what claims, queues or dataspaces decide with. The check is the one @stateproof/core applies when the definitions load and when openRuntime binds them (projectionSourceProblem). Project from an authoritative log; keep telemetry a bounded log.',
  }),
  /** The local-state-multi-replica rule; docs/rules/local-state-multi-replica.md explains it. */
  'local-state-multi-replica': rule({
    name: 'local-state-multi-replica',
    severity: 'error',
    scope: 'inventory',
    needsSource: false,
    summary: 'A restart-safe-local surface is used in a deployment declared with more than one replica.',
    description:
      'Restart-safe-local state lives on one node; each replica would see its own copy. Make it shared-durable, or list it in deployment.allowLocalState when per-replica state is intended.',
  }),
  /** The durability-gap rule; docs/rules/durability-gap.md explains it. */
  'durability-gap': rule({
    name: 'durability-gap',
    severity: 'warning',
    scope: 'inventory',
    needsSource: false,
    summary:
      'An inventory surface runs today on state weaker than the class it declares (its current section: a memory backend under a shared-durable declaration, …).',
    description:
      'The inventory records the debt between the class a surface must have and what it runs on today. The gap names what is lost and on which fault, from the guarantee vectors of the two classes. A warning: exit status 1 only with --fail-on warning. Fix it by moving the surface to a backend certified for its class, then updating current.',
  }),
  /** The parse-error rule; docs/rules/parse-error.md explains it. */
  'parse-error': rule({
    name: 'parse-error',
    severity: 'error',
    scope: 'input',
    needsSource: false,
    summary: 'A source file, manifest or inventory cannot be parsed.',
    description:
      'The inventory would be incomplete, so the linter stops with exit status 2. Fix the syntax at the reported position.',
  }),
  /** The invalid-document rule; docs/rules/invalid-document.md explains it. */
  'invalid-document': rule({
    name: 'invalid-document',
    severity: 'error',
    scope: 'input',
    needsSource: false,
    summary: 'A manifest or inventory does not match its JSON Schema.',
    description:
      'The document is validated against spec/schema/manifest.schema.json or inventory.schema.json; each problem is reported at its line. Exit status 2.',
  }),
  /** The project-error rule; docs/rules/project-error.md explains it. */
  'project-error': rule({
    name: 'project-error',
    severity: 'error',
    scope: 'input',
    needsSource: false,
    summary:
      'The project cannot be read: a missing or invalid tsconfig, no files, an unreadable file, a base that git cannot show.',
    description:
      'Nothing reliable can be checked, so the linter stops with exit status 2. The message says which file and why.',
  }),
} as const satisfies Record<string, RuleMeta>;

/** A rule name. */
export type RuleName = keyof typeof RULES;

/** Every rule name, in catalogue order. */
export const RULE_NAMES = Object.keys(RULES) as RuleName[];

/** The docs page of a rule. */
export function ruleDocsUrl(name: RuleName): string {
  return `${RULE_DOCS_BASE}${name}.md`;
}
