import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type * as ts from 'typescript';
import { typescript } from '../typescript.js';
import { diagnostic, type LintDiagnostic } from '../diagnostics/lint-diagnostic.js';
import type { PathMapping } from '../extract/module-graph.js';
import { displayPath } from './display-path.js';

/** Which files to read: a tsconfig (default ./tsconfig.json) or globs relative to the working directory. */
export interface ProjectSpec {
  /** The working directory. */
  readonly cwd: string;
  /** Path of a tsconfig file, relative to cwd. */
  readonly project?: string;
  /** Glob patterns (`src/**\/*.ts`); when given, no tsconfig is read. */
  readonly globs?: readonly string[];
}

/** The files of a project, or why they could not be listed. */
export interface ProjectFiles {
  /** The project root: the tsconfig's directory, or cwd for globs. Manifest locations are relative to it. */
  readonly root: string;
  /** Absolute paths of the source files, sorted. */
  readonly files: string[];
  /** project-error diagnostics; when any, nothing reliable can be linted. */
  readonly diagnostics: LintDiagnostic[];
  /** The tsconfig's `paths`, resolved to absolute target patterns. */
  readonly paths?: PathMapping[];
}

/** The `paths` of parsed compiler options, relative to baseUrl or the tsconfig's directory. */
function pathMappings(options: ts.CompilerOptions, configDir: string): PathMapping[] | undefined {
  if (!options.paths) return undefined;
  const base = options.baseUrl ?? configDir;
  return Object.entries(options.paths).map(([pattern, targets]) => {
    const star = pattern.indexOf('*');
    return {
      prefix: star < 0 ? pattern : pattern.slice(0, star),
      suffix: star < 0 ? '' : pattern.slice(star + 1),
      wildcard: star >= 0,
      targets: targets.map((t) => resolve(base, t)),
    };
  });
}

/** Extensions of source files the linter reads. */
export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

function isSource(file: string): boolean {
  return SOURCE_EXTENSIONS.some((e) => file.endsWith(e)) && !/\.d\.[cm]?ts$/.test(file);
}

/** A TypeScript diagnostic (of a tsconfig) as a project-error with its file and position. */
export function tsDiagnostic(d: ts.Diagnostic, cwd: string, fallbackFile: string): LintDiagnostic {
  const message = typescript.flattenDiagnosticMessageText(d.messageText, '\n');
  if (d.file && d.start !== undefined) {
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return diagnostic('project-error', message, {
      file: displayPath(d.file.fileName, cwd),
      line: line + 1,
      column: character + 1,
    });
  }
  return diagnostic('project-error', message, { file: fallbackFile });
}

/**
 * Lists the source files of a project: those a tsconfig includes (its `files`, `include`,
 * `exclude`, `extends` and `allowJs` honoured by TypeScript itself), or those the globs match.
 * Declaration files are skipped: they define nothing.
 */
export function listProjectFiles(spec: ProjectSpec): ProjectFiles {
  const cwd = spec.cwd;
  if (spec.globs && spec.globs.length > 0) {
    const files = new Set<string>();
    const patterns: string[] = [];
    for (const g of spec.globs) {
      const abs = resolve(cwd, g);
      if (existsSync(abs) && statSync(abs).isFile()) files.add(abs);
      else patterns.push(g);
    }
    if (patterns.length > 0)
      for (const f of typescript.sys.readDirectory(cwd, SOURCE_EXTENSIONS, ['**/node_modules'], patterns))
        files.add(resolve(f));
    const list = [...files].filter(isSource).sort();
    const diagnostics =
      list.length === 0
        ? [
            diagnostic(
              'project-error',
              `no source files match ${spec.globs.map((g) => JSON.stringify(g)).join(', ')} in ${displayPath(cwd, cwd)}`,
            ),
          ]
        : [];
    return { root: cwd, files: list, diagnostics };
  }
  const configPath = resolve(cwd, spec.project ?? 'tsconfig.json');
  const shown = displayPath(configPath, cwd);
  if (!existsSync(configPath)) {
    const hint = spec.project === undefined ? '; pass --project FILE or a list of globs' : '';
    return {
      root: dirname(configPath),
      files: [],
      diagnostics: [diagnostic('project-error', `cannot read ${shown}: no such file${hint}`, { file: shown })],
    };
  }
  if (!statSync(configPath).isFile())
    return {
      root: dirname(configPath),
      files: [],
      diagnostics: [diagnostic('project-error', `cannot read ${shown}: it is a directory`, { file: shown })],
    };
  const read = typescript.readConfigFile(configPath, typescript.sys.readFile);
  if (read.error) return { root: dirname(configPath), files: [], diagnostics: [tsDiagnostic(read.error, cwd, shown)] };
  const parsed = typescript.parseJsonConfigFileContent(
    read.config,
    typescript.sys,
    dirname(configPath),
    undefined,
    configPath,
  );
  const diagnostics = parsed.errors.map((e) => tsDiagnostic(e, cwd, shown));
  const files = parsed.fileNames
    .map((f) => resolve(f))
    .filter(isSource)
    .sort();
  if (files.length === 0 && diagnostics.length === 0)
    diagnostics.push(diagnostic('project-error', `${shown} includes no source files`, { file: shown }));
  const paths = pathMappings(parsed.options, dirname(configPath));
  return { root: dirname(configPath), files, diagnostics, ...(paths ? { paths } : {}) };
}
