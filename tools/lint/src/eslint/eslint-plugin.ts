/**
 * `@stateproof/lint/eslint-plugin`: the single-file rules of the linter (`dynamic-id`,
 * `runtime-definition`, `duplicate-id`) as an ESLint plugin for flat configs, run by the same code as
 * the CLI.
 * @module eslint-plugin
 */
import { checkSites, duplicateIds } from '../extract/analyse-file.js';
import { parseSource } from '../extract/extract-project.js';
import { applySuppressions } from '../extract/suppressions.js';
import { findDefinitions, mayDefine } from '../extract/find-definitions.js';
import { ModuleGraph } from '../extract/module-graph.js';
import { indexModule } from '../extract/module-index.js';
import type { LintDiagnostic } from '../diagnostics/lint-diagnostic.js';
import { RULES, ruleDocsUrl, type RuleName } from '../rules/rule-catalog.js';
import { LINT_VERSION } from '../version.js';

/** The part of ESLint's rule context the rules use (ESLint 9 and 10). */
export interface EslintRuleContext {
  /** The file being linted. */
  readonly filename: string;
  /** Its source. */
  readonly sourceCode: {
    /** The text of the file. */
    readonly text: string;
  };
  /** Reports one finding at a 1-based line, 0-based column range. */
  report(descriptor: {
    loc: { start: { line: number; column: number }; end: { line: number; column: number } };
    message: string;
  }): void;
}

/** An ESLint rule module. */
export interface EslintRule {
  /** What ESLint shows of the rule. */
  readonly meta: {
    /** Every rule reports problems, not style. */
    readonly type: 'problem';
    /** The rule's documentation. */
    readonly docs: {
      /** The rule's summary. */
      readonly description: string;
      /** Its page under docs/rules. */
      readonly url: string;
      /** Whether the recommended config turns it on. */
      readonly recommended: boolean;
    };
    /** The rule takes no options. */
    readonly schema: readonly never[];
  };
  /** The rule's visitors for one file: it analyses the whole program once, at `Program`. */
  create(context: EslintRuleContext): Record<string, () => void>;
}

/** The rules the plugin exposes: those one file is enough for. */
export const ESLINT_RULES = ['dynamic-id', 'runtime-definition', 'duplicate-id'] as const satisfies readonly RuleName[];

// The three rules run on the same text; analyse it once.
let cache: { key: string; diagnostics: LintDiagnostic[] } | undefined;

/**
 * The single-file findings of one file, by the same code the CLI runs. Imports from other files
 * are not followed: an id imported from another module gets the benefit of the doubt, and kind
 * functions are recognised when imported from @stateproof/core itself.
 */
export function analyseFileText(filename: string, text: string): LintDiagnostic[] {
  const key = `${filename}\u0000${text}`;
  if (cache?.key === key) return cache.diagnostics;
  const { sourceFile } = parseSource({ path: filename, text }, '/');
  const graph = new ModuleGraph(new Map([[filename, indexModule(filename, sourceFile)]]), { singleFile: true });
  const scope = graph.scope(filename);
  let diagnostics: LintDiagnostic[] = [];
  if (mayDefine(scope)) {
    const result = checkSites(findDefinitions(scope, sourceFile), {
      file: filename,
      manifestFile: filename,
      singleFile: true,
    });
    diagnostics = applySuppressions([...result.diagnostics, ...duplicateIds(result.checked)], text);
  }
  cache = { key, diagnostics };
  return diagnostics;
}

function eslintRule(name: (typeof ESLINT_RULES)[number]): EslintRule {
  return {
    meta: {
      type: 'problem',
      docs: { description: RULES[name].summary, url: ruleDocsUrl(name), recommended: true },
      schema: [],
    },
    create(context) {
      return {
        Program() {
          for (const d of analyseFileText(context.filename, context.sourceCode.text)) {
            if (d.rule !== name || d.line === undefined) continue;
            // ESLint columns are 0-based; ours are 1-based.
            const start = { line: d.line, column: (d.column ?? 1) - 1 };
            const end = { line: d.endLine ?? d.line, column: (d.endColumn ?? d.column ?? 1) - 1 };
            context.report({ loc: { start, end }, message: d.fix ? `${d.message}. ${d.fix}` : d.message });
          }
        },
      };
    },
  };
}

/** The ESLint plugin object (flat config): rules under the `stateproof/` prefix and a recommended config. */
export interface StateproofEslintPlugin {
  /** The plugin's identity. */
  readonly meta: {
    /** The package name. */
    readonly name: string;
    /** Its version. */
    readonly version: string;
    /** The rule prefix, `stateproof`. */
    readonly namespace: string;
  };
  /** The rules, by name. */
  readonly rules: Record<(typeof ESLINT_RULES)[number], EslintRule>;
  /** Ready-made flat configs. */
  readonly configs: {
    /** Every rule of the plugin as an error. */
    readonly recommended: {
      /** The plugin under its prefix. */
      readonly plugins: Record<string, unknown>;
      /** Every rule, as an error. */
      readonly rules: Record<string, 'error'>;
    };
  };
}

const rules = Object.fromEntries(
  ESLINT_RULES.map((name) => [name, eslintRule(name)]),
) as StateproofEslintPlugin['rules'];
const recommendedRules = Object.fromEntries(ESLINT_RULES.map((name) => [`stateproof/${name}`, 'error' as const]));
const plugins: Record<string, unknown> = {};

/**
 * The stateproof ESLint plugin: `dynamic-id`, `runtime-definition` and `duplicate-id` (within one
 * file) in the editor. Use `configs.recommended` in an eslint.config.js.
 */
export const stateproofPlugin: StateproofEslintPlugin = {
  meta: { name: '@stateproof/lint/eslint-plugin', version: LINT_VERSION, namespace: 'stateproof' },
  rules,
  configs: { recommended: { plugins, rules: recommendedRules } },
};
plugins['stateproof'] = stateproofPlugin;

export default stateproofPlugin;
