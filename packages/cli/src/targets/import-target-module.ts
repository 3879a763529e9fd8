import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError } from '../args/usage-error.js';

/** Node's message for an unresolvable import: `Cannot find package 'x' imported from /a/b.js`. */
const NOT_FOUND = /^Cannot find (package|module) '(.+?)' imported from (.+)$/;

/**
 * The import as written in `importer` that resolves to `missing` (a relative import Node reports
 * by its resolved path), or undefined when it cannot be recovered.
 */
function writtenSpecifier(importer: string, missing: string): string | undefined {
  let source: string;
  try {
    source = readFileSync(importer, 'utf8');
  } catch {
    return undefined;
  }
  const base = pathToFileURL(importer);
  for (const m of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"\n]+)\1/g)) {
    const spec = m[2]!;
    if (!/^\.{1,2}\//.test(spec)) continue;
    if (fileURLToPath(new URL(spec, base)) === missing) return spec;
  }
  return undefined;
}

/** Turns a failed `import()` of the adapter module into a usage error that says what is missing. */
function importFailure(spec: string, error: unknown): UsageError {
  const e = error as NodeJS.ErrnoException;
  const found = e?.code === 'ERR_MODULE_NOT_FOUND' ? NOT_FOUND.exec(e.message.split('\n')[0] ?? '') : null;
  if (found) {
    const [, what, reported, from] = found as unknown as [string, 'package' | 'module', string, string];
    const importer = from.startsWith('file:') ? fileURLToPath(from) : from;
    // Node names a missing relative import by its resolved path or URL; other loaders by the specifier as written.
    const relative = /^\.{1,2}\//.test(reported);
    const missing = relative
      ? resolve(dirname(importer), reported)
      : reported.startsWith('file:')
        ? fileURLToPath(reported)
        : reported;
    if (what === 'package') {
      return new UsageError(
        `cannot load adapter module ${spec}: its import "${missing}" (in ${importer}) is not installed`,
        `Install it where ${importer} resolves its packages (for example \`npm install ${missing.startsWith('@') ? missing.split('/').slice(0, 2).join('/') : missing.split('/')[0]}\`), then run again.`,
      );
    }
    const written = relative ? reported : writtenSpecifier(importer, missing);
    return new UsageError(
      `cannot load adapter module ${spec}: its import ${written ? `"${written}" ` : ''}(in ${importer}) points at ${missing}, which does not exist`,
      'Fix that import path, or build the module it points at (a path into dist/ exists only after the build).',
    );
  }
  return new UsageError(
    `cannot load adapter module ${spec}: ${e?.message ?? String(error)}`,
    'Give the path to a built JavaScript ES module (for example ./dist/my-target.js) that Node can import on its own.',
  );
}

/** Imports the adapter module at `path` (given on the command line as `spec`). */
export async function importTargetModule(spec: string, path: string): Promise<Record<string, unknown>> {
  if (!existsSync(path)) {
    throw new UsageError(
      `cannot load adapter module ${spec}: there is no file ${path}`,
      'Give the path to the built JavaScript module (for example ./dist/my-target.js), relative to the current directory.',
    );
  }
  try {
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw importFailure(spec, error);
  }
}

/**
 * Why `value` (the module's `target` or default export, or what its factory returned) is not a
 * conformance target, or undefined when it is one.
 */
export function targetShapeProblem(value: unknown, what: string): string | undefined {
  if (value === undefined) return `${what} is missing`;
  if (typeof value !== 'object' || value === null)
    return `${what} is ${value === null ? 'null' : `a ${typeof value}`}, not a target object`;
  const t = value as { name?: unknown; create?: unknown };
  const problems: string[] = [];
  if (t.create === undefined) problems.push('has no `create` method');
  else if (typeof t.create !== 'function')
    problems.push(`has a \`create\` that is a ${typeof t.create}, not a function`);
  if (typeof t.name !== 'string' || t.name.length === 0) problems.push('has no `name` string');
  return problems.length === 0 ? undefined : `${what} ${problems.join(' and ')}`;
}
