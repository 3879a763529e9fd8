import type * as ts from 'typescript';
import type { SurfaceDefinitionDocument } from '@stateproof/spec';
import { diagnostic, type LintDiagnostic } from '../diagnostics/lint-diagnostic.js';
import { definitionEntry, idProblem } from './definition-entry.js';
import type { DefinitionSite, RuntimeContext } from './find-definitions.js';
import { Unknown, isStaticObject } from './static-value.js';

/** A definition site with its static id (when it has one) and where it is; it keeps no parse tree. */
export interface CheckedSite {
  /** The kind function called. */
  readonly kind: DefinitionSite['kind'];
  /** Innermost function, method, callback, loop or conditional around the call; undefined at top level. */
  readonly context: RuntimeContext | undefined;
  /** Where the id argument is (the call when there is none). */
  readonly idRange: {
    /** Start line. */
    line: number;
    /** Start column. */
    column: number;
    /** End line. */
    endLine: number;
    /** End column. */
    endColumn: number;
  };
  /** The static, valid id; undefined when computed or invalid. */
  readonly id: string | undefined;
  /** The manifest entry; only for top-level definitions with a static id and class. */
  readonly entry: SurfaceDefinitionDocument | undefined;
  /** File relative to the working directory (diagnostics). */
  readonly file: string;
  /** Line of the call. */
  readonly line: number;
  /** Column of the call. */
  readonly column: number;
}

/** Options of {@link checkSites}. */
export interface CheckSitesOptions {
  /** The file as diagnostics show it (relative to cwd). */
  readonly file: string;
  /** The file as the manifest records it (relative to the project root). */
  readonly manifestFile: string;
  /** One file on its own (ESLint): ids imported from elsewhere get the benefit of the doubt. */
  readonly singleFile?: boolean;
}

/** The 1-based range of a node, for diagnostics. */
export function nodeRange(
  node: ts.Node,
  sf: ts.SourceFile,
): {
  /** Start line. */
  line: number;
  /** Start column. */
  column: number;
  /** End line. */
  endLine: number;
  /** End column. */
  endColumn: number;
} {
  const start = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  const end = sf.getLineAndCharacterOfPosition(node.getEnd());
  return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

function where(context: RuntimeContext): string {
  const named = context.name ? ` ${context.name}` : '';
  switch (context.type) {
    case 'function':
      return context.name ? `function ${context.name}` : 'a function';
    case 'method':
      return `method${named}`;
    case 'callback':
      return context.name ? `callback ${context.name}` : 'a callback';
    case 'class field':
      return `class field${named}`;
    case 'loop':
      return 'a loop';
    case 'conditional':
      return 'a conditional';
  }
}

/**
 * Applies the single-file rules to the definition sites of one file (dynamic-id,
 * runtime-definition, non-static-options, unknown-schema, invalid-definition) and builds the
 * manifest entries of its top-level definitions. Shared by the CLI and the ESLint plugin.
 */
export function checkSites(
  sites: readonly DefinitionSite[],
  options: CheckSitesOptions,
): {
  /** Every site, with its static id and manifest entry when it has them. */
  checked: CheckedSite[];
  /** The findings of the single-file rules. */
  diagnostics: LintDiagnostic[];
} {
  const diagnostics: LintDiagnostic[] = [];
  const checked: CheckedSite[] = [];
  for (const site of sites) {
    const sf = site.sourceFile;
    const at = (node: ts.Node) => ({ file: options.file, ...nodeRange(node, sf) });
    const callRange = nodeRange(site.call, sf);
    const durability = isStaticObject(site.options) ? site.options['durability'] : site.options;
    const ephemeral = durability === 'ephemeral';
    const idNode = site.idNode ?? site.call;
    let id: string | undefined;
    const known = typeof site.id === 'string' ? site.id : undefined;

    if (site.context) {
      // Only ephemeral surfaces may be created at run time; their ids need no stable identity.
      if (durability instanceof Unknown) {
        diagnostics.push(
          diagnostic(
            'non-static-options',
            `the durability of a ${site.kind} defined inside ${where(site.context)} is not static (${durability.reason}), so it cannot be shown to be ephemeral`,
            at(site.optionsNode ?? site.call),
            known ? { surfaceId: known } : {},
          ),
        );
      } else if (!ephemeral) {
        const cls = typeof durability === 'string' ? durability : 'non-ephemeral';
        const label = known === undefined ? `a ${cls} ${site.kind}` : `${cls} ${site.kind} "${known}"`;
        diagnostics.push(
          diagnostic(
            'runtime-definition',
            `${label} is defined inside ${where(site.context)}; only ephemeral surfaces may be defined at run time`,
            at(site.call),
            {
              ...(known === undefined ? {} : { surfaceId: known }),
              fix: 'Move the definition to module top level, or declare it ephemeral.',
            },
          ),
        );
      }
    }
    if (site.id instanceof Unknown) {
      if (!(site.context && ephemeral) && !(options.singleFile && site.id.external)) {
        diagnostics.push(
          diagnostic(
            'dynamic-id',
            `the id of this ${site.kind} is not static: ${site.id.reason}; use a string literal or a literal-valued const`,
            at(idNode),
            {
              fix: 'Write the id as a string literal or a const of literals.',
            },
          ),
        );
      }
    } else {
      const problem = idProblem(site.id);
      if (problem) diagnostics.push(diagnostic('invalid-definition', `${problem}`, at(idNode)));
      else id = site.id as string;
    }
    let entry: SurfaceDefinitionDocument | undefined;
    if (!site.context && id !== undefined) {
      const result = definitionEntry(site, id, {
        file: options.manifestFile,
        line: callRange.line,
        column: callRange.column,
      });
      entry = result.entry;
      for (const p of result.problems) diagnostics.push(diagnostic(p.rule, p.message, at(p.node), { surfaceId: id }));
    }
    checked.push({
      kind: site.kind,
      context: site.context,
      idRange: nodeRange(idNode, sf),
      id,
      entry,
      file: options.file,
      line: callRange.line,
      column: callRange.column,
    });
  }
  return { checked, diagnostics };
}

/** duplicate-id among sites: every definition of an id after its first one. */
export function duplicateIds(sites: readonly CheckedSite[]): LintDiagnostic[] {
  const first = new Map<string, CheckedSite>();
  const out: LintDiagnostic[] = [];
  for (const s of sites) {
    if (s.id === undefined) continue;
    const prior = first.get(s.id);
    if (!prior) {
      first.set(s.id, s);
      continue;
    }
    const range = s.idRange;
    const there = prior.file === s.file ? `line ${prior.line}` : `${prior.file}:${prior.line}`;
    out.push(
      diagnostic(
        'duplicate-id',
        `surface id "${s.id}" is already defined at ${there}`,
        { file: s.file, ...range },
        { surfaceId: s.id, fix: 'Give each surface its own id.' },
      ),
    );
  }
  return out;
}
