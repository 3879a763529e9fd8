import { readFileSync } from 'node:fs';
import ts from 'typescript';
import type { SurfaceDefinitionDocument } from '@stateproof/spec';
import { diagnostic, type LintDiagnostic } from '../diagnostics/lint-diagnostic.js';
import { displayPath } from '../project/display-path.js';
import { listProjectFiles, type ProjectSpec } from '../project/project-files.js';
import { checkSites, duplicateIds, type CheckedSite } from './analyse-file.js';
import { findDefinitions, mayDefine } from './find-definitions.js';
import { ModuleGraph } from './module-graph.js';
import { indexModule, type ModuleIndex } from './module-index.js';

/** A source text to analyse. */
export interface SourceText {
  /** Absolute path. */
  readonly path: string;
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
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** Parses one file; syntax errors become parse-error diagnostics. */
export function parseSource(source: SourceText, cwd: string): { sourceFile: ts.SourceFile; diagnostics: LintDiagnostic[] } {
  const sourceFile = ts.createSourceFile(source.path, source.text, ts.ScriptTarget.Latest, false, scriptKind(source.path));
  // parseDiagnostics is not in the public typings, but it is what Program.getSyntacticDiagnostics returns.
  const errors = (sourceFile as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  const file = displayPath(source.path, cwd);
  const diagnostics = errors.map((e) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(e.start ?? 0);
    return diagnostic('parse-error', ts.flattenDiagnosticMessageText(e.messageText, '\n'), { file, line: line + 1, column: character + 1 });
  });
  return { sourceFile, diagnostics };
}

/**
 * Extracts the inventory of a set of source texts: parses each file once (no type checker),
 * follows imports among them, finds every definition and applies the source rules.
 */
export function extractFromSources(sources: readonly SourceText[], options: { cwd: string; root: string }): ExtractedInventory {
  const diagnostics: LintDiagnostic[] = [];
  const modules = new Map<string, ModuleIndex>();
  for (const source of sources) {
    const parsed = parseSource(source, options.cwd);
    diagnostics.push(...parsed.diagnostics);
    modules.set(source.path, indexModule(source.path, parsed.sourceFile));
  }
  const graph = new ModuleGraph(modules);
  const sites: CheckedSite[] = [];
  for (const file of [...modules.keys()].sort()) {
    const scope = graph.scope(file);
    if (!mayDefine(scope)) continue;
    const found = findDefinitions(scope);
    if (found.length === 0) continue;
    const result = checkSites(found, { file: displayPath(file, options.cwd), manifestFile: displayPath(file, options.root) });
    sites.push(...result.checked);
    diagnostics.push(...result.diagnostics);
  }
  diagnostics.push(...duplicateIds(sites));
  const byId = new Map<string, SurfaceDefinitionDocument>();
  for (const s of sites) if (s.entry && !byId.has(s.entry.id)) byId.set(s.entry.id, s.entry);
  const surfaces = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { root: options.root, files: sources.length, surfaces, sites, diagnostics };
}

/** Lists, reads and extracts a project; unreadable files are project errors. */
export function extractProject(spec: ProjectSpec): ExtractedInventory {
  const listed = listProjectFiles(spec);
  if (listed.diagnostics.length > 0) return { root: listed.root, files: 0, surfaces: [], sites: [], diagnostics: listed.diagnostics };
  const sources: SourceText[] = [];
  const diagnostics: LintDiagnostic[] = [];
  for (const path of listed.files) {
    try {
      sources.push({ path, text: readFileSync(path, 'utf8') });
    } catch (error) {
      diagnostics.push(diagnostic('project-error', `cannot read ${displayPath(path, spec.cwd)}: ${(error as Error).message}`, { file: displayPath(path, spec.cwd) }));
    }
  }
  const extracted = extractFromSources(sources, { cwd: spec.cwd, root: listed.root });
  return { ...extracted, diagnostics: [...diagnostics, ...extracted.diagnostics] };
}
