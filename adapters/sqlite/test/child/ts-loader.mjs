// Module hooks for ts-hooks.mjs: resolve `.js` specifiers to `.ts` sources, and transpile `.ts`
// (cached by content hash in the temp directory, so later children start fast).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cacheDir = join(tmpdir(), 'stateproof-ts-cache');
try {
  mkdirSync(cacheDir, { recursive: true });
} catch {
  // Without a cache every child transpiles again.
}
let ts;

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:');
    if (relative && specifier.endsWith('.js')) return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    throw error;
  }
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.ts')) return nextLoad(url, context);
  const source = await readFile(new URL(url), 'utf8');
  const cached = join(cacheDir, `${createHash('sha256').update(url).update('\0').update(source).digest('hex')}.js`);
  try {
    return { format: 'module', source: readFileSync(cached, 'utf8'), shortCircuit: true };
  } catch {
    // Not cached yet.
  }
  ts ??= (await import('typescript')).default;
  const { outputText } = ts.transpileModule(source, {
    fileName: url,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  });
  // Written aside and renamed, so that a child starting at the same time never reads half a file.
  try {
    const aside = `${cached}.${process.pid}.tmp`;
    writeFileSync(aside, outputText);
    renameSync(aside, cached);
  } catch {
    // The cache is an optimisation (a child running as another user may not write it).
  }
  return { format: 'module', source: outputText, shortCircuit: true };
}
