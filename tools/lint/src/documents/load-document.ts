import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { assertIJson, checkDocument, isStateproofError, pointerTokens, type DocumentProblem } from '@stateproof/spec';
import { diagnostic, type LintDiagnostic } from '../diagnostics/lint-diagnostic.js';
import { displayPath } from '../project/display-path.js';
import { readDocumentSource, type DocumentSource } from './document-source.js';

/** A manifest or inventory read from a file (or a git ref), validated against its schema. */
export interface LoadedDocument<T> {
  /** The document; undefined when it cannot be parsed or does not match its schema. */
  readonly document: T | undefined;
  /** The file as diagnostics show it. */
  readonly file: string;
  /** The text as read. */
  readonly text: string;
  /** The parsed text, which can say where each value is; undefined when the file could not be read. */
  readonly source: DocumentSource | undefined;
  /** parse-error, invalid-document and project-error diagnostics. */
  readonly diagnostics: LintDiagnostic[];
}

/**
 * ajv reports a value outside a union of literals as one "must be equal to constant" per member
 * and a final "must match a schema in anyOf"; one line that shows the value reads better.
 */
function readableProblems(problems: readonly DocumentProblem[], value: unknown): DocumentProblem[] {
  const unions = new Set(problems.filter((p) => p.message === 'must match a schema in anyOf').map((p) => p.path));
  const out: DocumentProblem[] = [];
  for (const p of problems) {
    if (!unions.has(p.path)) out.push(p);
    else if (p.message === 'must match a schema in anyOf') {
      let at: unknown = value;
      for (const t of pointerTokens(p.path))
        at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[t] : undefined;
      out.push({ path: p.path, message: `must be one of the allowed values, got ${JSON.stringify(at)}` });
    }
  }
  return out;
}

/** What a document is validated with: its JSON Schema, or a function that returns the problems (the inventory's, by version). */
export type DocumentCheck = TSchema | ((value: unknown) => DocumentProblem[]);

/** Parses and validates a document's text; `file` is how diagnostics name it. */
export function parseDocumentText<T>(
  text: string,
  file: string,
  schema: DocumentCheck,
  what: string,
): LoadedDocument<T> {
  const source = readDocumentSource(text, file);
  if (source.errors.length > 0 || source.value === undefined) {
    const diagnostics = source.errors.map((e) =>
      diagnostic('parse-error', `${what} cannot be parsed: ${e.message}`, { file, line: e.line, column: e.column }),
    );
    return { document: undefined, file, text, source, diagnostics };
  }
  try {
    assertIJson(source.value);
  } catch (error) {
    if (!isStateproofError(error)) throw error;
    const at = source.positionOf(error.path ?? '');
    return {
      document: undefined,
      file,
      text,
      source,
      diagnostics: [diagnostic('invalid-document', `${what}: ${error.message}`, { file, ...at })],
    };
  }
  const found = typeof schema === 'function' ? schema(source.value) : checkDocument(schema, source.value);
  const problems = readableProblems(found, source.value);
  if (problems.length > 0) {
    const diagnostics = problems.map((p) =>
      diagnostic('invalid-document', `${what} ${p.path || '/'} ${p.message}`, { file, ...source.positionOf(p.path) }),
    );
    return { document: undefined, file, text, source, diagnostics };
  }
  return { document: source.value as T, file, text, source, diagnostics: [] };
}

/** Reads, parses and validates a document file; an unreadable file is a project-error. */
export function loadDocument<T>(path: string, cwd: string, schema: DocumentCheck, what: string): LoadedDocument<T> {
  const abs = resolve(cwd, path);
  const file = displayPath(abs, cwd);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    return {
      document: undefined,
      file,
      text: '',
      source: undefined,
      diagnostics: [diagnostic('project-error', `cannot read ${what} ${file}: ${why}`, { file })],
    };
  }
  return parseDocumentText<T>(text, file, schema, what);
}
