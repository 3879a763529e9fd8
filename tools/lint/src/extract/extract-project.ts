import { readFileSync } from 'node:fs';
import type * as ts from 'typescript';
import { typescript } from '../typescript.js';
import type { SurfaceDefinitionDocument } from '@stateproof/spec';
import { diagnostic, type LintDiagnostic } from '../diagnostics/lint-diagnostic.js';
import { displayPath } from '../project/display-path.js';
import { listProjectFiles, type ProjectSpec } from '../project/project-files.js';
import { checkSites, duplicateIds, type CheckedSite } from './analyse-file.js';
import { findDefinitions, mayDefine } from './find-definitions.js';
import { ModuleGraph, type PathMapping } from './module-graph.js';
import { applySuppressions } from './suppressions.js';
import { indexModule, type ModuleIndex } from './module-index.js';

/** A source text to analyse. */
export interface SourceText {
  /** Absolute path. */
  readonly path: string;
  /** Its text. */
  readonly text: string;
}

/** What the linter read from source code. */
export interface ExtractedInventory {
  /** The project root; manifest locations are relative to it. */
  readonly root: string;
  /** How many files were read. */
  readonly files: number;
  /** Manifest entries of the top-level definitions, sorted by id; the first definition of an id wins. */
  readonly surfaces: SurfaceDefinitionDocument[];
  /** Every definition site found. */
  readonly sites: CheckedSite[];
  /** Findings of the source rules, and parse and project errors. */
  readonly diagnostics: LintDiagnostic[];
}

function scriptKind(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return typescript.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return typescript.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(file)) return typescript.ScriptKind.JS;
  return typescript.ScriptKind.TS;
}

/** Parses one file; syntax errors become parse-error diagnostics. */
export function parseSource(
  source: SourceText,
  cwd: string,
): {
  /** The parse tree (also when there are syntax errors). */
  sourceFile: ts.SourceFile;
  /** parse-error diagnostics, one per syntax error. */
  diagnostics: LintDiagnostic[];
} {
  const sourceFile = typescript.createSourceFile(
    source.path,
    source.text,
    { languageVersion: typescript.ScriptTarget.Latest, jsDocParsingMode: typescript.JSDocParsingMode.ParseNone },
    false,
    scriptKind(source.path),
  );
  // parseDiagnostics is not in the public typings, but it is what Program.getSyntacticDiagnostics returns.
  const errors = (sourceFile as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  const file = displayPath(source.path, cwd);
  const diagnostics = errors.map((e) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(e.start ?? 0);
    return diagnostic('parse-error', typescript.flattenDiagnosticMessageText(e.messageText, '\n'), {
      file,
      line: line + 1,
      column: character + 1,
    });
  });
  return { sourceFile, diagnostics };
}

/**
 * Extracts the inventory of a set of source texts without a type checker. A first pass parses
 * every file into a small index (imports, exports, consts) and drops the tree; a second pass
 * parses again only the files whose imports can reach a kind function, finds their definitions
 * and applies the source rules. Parsing twice is cheaper than keeping every tree alive, which
 * would make the garbage collector the largest cost on big projects.
 */
export function extractFromSources(
  sources: readonly SourceText[],
  options: { cwd: string; root: string; paths?: readonly PathMapping[] },
): ExtractedInventory {
  const diagnostics: LintDiagnostic[] = [];
  const texts = new Map(sources.map((s) => [s.path, s.text]));
  const indexes = new Map<string, ModuleIndex>();
  const parse = (file: string): ts.SourceFile => {
    const parsed = parseSource({ path: file, text: texts.get(file) as string }, options.cwd);
    if (!indexes.has(file)) {
      diagnostics.push(...parsed.diagnostics);
      indexes.set(file, indexModule(file, parsed.sourceFile));
    }
    return parsed.sourceFile;
  };
  // Resolution only meets files the walk has indexed already; the loader covers the rest.
  const graph = new ModuleGraph(
    {
      has: (file) => texts.has(file),
      get: (file) => indexes.get(file) ?? (texts.has(file) ? (parse(file), indexes.get(file)) : undefined),
    },
    options.paths ? { paths: options.paths } : {},
  );
  const sitesByFile = new Map<string, CheckedSite[]>();

  const walk = (file: string, sourceFile: ts.SourceFile): void => {
    const scope = graph.scope(file);
    if (!mayDefine(scope)) return;
    const found = findDefinitions(scope, sourceFile);
    if (found.length === 0) return;
    const result = checkSites(found, {
      file: displayPath(file, options.cwd),
      manifestFile: displayPath(file, options.root),
    });
    sitesByFile.set(file, result.checked);
    diagnostics.push(...applySuppressions(result.diagnostics, sourceFile.text));
  };

  // Depth-first, dependencies before dependents, so that each file is parsed once: its tree is
  // walked as soon as what it imports is indexed, then dropped. Trees of files waiting for their
  // dependencies are kept up to a bound; past it a file is parsed again when its turn comes.
  const state = new Map<string, 'open' | 'done'>();
  const waiting = new Map<string, ts.SourceFile>();
  for (const root of [...texts.keys()].sort()) {
    if (state.has(root)) continue;
    const stack: Array<{ file: string; post: boolean }> = [{ file: root, post: false }];
    while (stack.length > 0) {
      const { file, post } = stack.pop() as { file: string; post: boolean };
      if (post) {
        walk(file, waiting.get(file) ?? parse(file));
        waiting.delete(file);
        state.set(file, 'done');
        continue;
      }
      if (state.has(file)) continue;
      state.set(file, 'open');
      const tree = parse(file);
      if (waiting.size < MAX_WAITING_TREES) waiting.set(file, tree);
      stack.push({ file, post: true });
      for (const dep of dependencies(indexes.get(file) as ModuleIndex, graph))
        if (!state.has(dep)) stack.push({ file: dep, post: false });
    }
  }
  const sites = [...sitesByFile.keys()].sort().flatMap((file) => sitesByFile.get(file) as CheckedSite[]);
  const byShownPath = new Map([...texts.keys()].map((file) => [displayPath(file, options.cwd), file]));
  const textOf = (shown: string | undefined) => texts.get(byShownPath.get(shown ?? '') ?? '') ?? '';
  diagnostics.push(...duplicateIds(sites).filter((d) => applySuppressions([d], textOf(d.file)).length > 0));
  const byId = new Map<string, SurfaceDefinitionDocument>();
  for (const s of sites) if (s.entry && !byId.has(s.entry.id)) byId.set(s.entry.id, s.entry);
  const surfaces = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { root: options.root, files: sources.length, surfaces, sites, diagnostics };
}

// Parse trees kept while their files wait for their dependencies to be walked.
const MAX_WAITING_TREES = 256;

/** The project files a module imports or re-exports from. */
function dependencies(index: ModuleIndex, graph: ModuleGraph): string[] {
  const specifiers = new Set<string>(index.starExports);
  for (const binding of index.imports.values()) specifiers.add(binding.module);
  for (const target of index.exports.values()) if (target.type === 'reexport') specifiers.add(target.module);
  const out: string[] = [];
  for (const spec of specifiers) {
    const file = graph.resolveFile(index.file, spec);
    if (file !== undefined) out.push(file);
  }
  return out;
}

/** Lists, reads and extracts a project; unreadable files are project errors. */
export function extractProject(spec: ProjectSpec): ExtractedInventory {
  const listed = listProjectFiles(spec);
  if (listed.diagnostics.length > 0)
    return { root: listed.root, files: 0, surfaces: [], sites: [], diagnostics: listed.diagnostics };
  const sources: SourceText[] = [];
  const diagnostics: LintDiagnostic[] = [];
  for (const path of listed.files) {
    try {
      sources.push({ path, text: readFileSync(path, 'utf8') });
    } catch (error) {
      diagnostics.push(
        diagnostic('project-error', `cannot read ${displayPath(path, spec.cwd)}: ${(error as Error).message}`, {
          file: displayPath(path, spec.cwd),
        }),
      );
    }
  }
  const extracted = extractFromSources(sources, {
    cwd: spec.cwd,
    root: listed.root,
    ...(listed.paths ? { paths: listed.paths } : {}),
  });
  return { ...extracted, diagnostics: [...diagnostics, ...extracted.diagnostics] };
}
