import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { diagnostic } from '../diagnostics/lint-diagnostic.js';
import {
  loadDocument,
  parseDocumentText,
  type DocumentCheck,
  type LoadedDocument,
} from '../documents/load-document.js';

/**
 * Reads the base of a breaking-change check: `base` is a file when one exists at that path,
 * otherwise a git ref, read as `git show <ref>:<path>` of `headPath` (the manifest or inventory
 * under lint, relative to its own directory).
 */
export function readBase<T>(
  base: string,
  headPath: string,
  cwd: string,
  schema: DocumentCheck,
  what: string,
): LoadedDocument<T> & { label: string } {
  const asFile = resolve(cwd, base);
  if (existsSync(asFile)) return { ...loadDocument<T>(base, cwd, schema, `base ${what}`), label: base };
  const head = resolve(cwd, headPath);
  const spec = `${base}:./${basename(head)}`;
  const label = `${base}:${basename(head)}`;
  try {
    const text = execFileSync('git', ['show', spec], {
      cwd: dirname(head),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
    return { ...parseDocumentText<T>(text, label, schema, `base ${what}`), label };
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '')
      .trim()
      .split('\n')[0];
    const why =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed' : stderr || (error as Error).message;
    return {
      document: undefined,
      file: label,
      text: '',
      source: undefined,
      diagnostics: [
        diagnostic(
          'project-error',
          `--base ${base} is neither a file nor a git ref that has ${basename(head)}: ${why}`,
        ),
      ],
      label,
    };
  }
}
