import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The folders of conformance/src from the bottom up. A folder imports only from folders of lower
 * layers (and from itself), so a requirement, a model or a property can be read without what is
 * built on it, and no two folders need each other.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['requirements'],
  ['models', 'linearizability', 'environment'],
  ['properties'],
  ['suite'],
  ['crash', 'outage', 'vitest'],
  ['mutants'],
  ['kit'],
];

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
// Static imports and re-exports, side-effect imports, dynamic imports and `import('…')` types.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)'(\.{1,2}\/[^']+)'/g;

/** Every relative import in conformance/src, as [importing folder, imported folder, where]. */
function folderImports(): Array<{ from: string; to: string; where: string }> {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  return files.flatMap((file) => {
    const from = file.split(sep)[0] as string;
    const text = readFileSync(join(SRC, file), 'utf8');
    return [...text.matchAll(SPECIFIER)].map((m) => {
      const target = relative(SRC, join(SRC, dirname(file), m[1] as string));
      return { from, to: target.split(sep)[0] as string, where: `${file} imports ${m[1]}` };
    });
  });
}

const layerOf = (folder: string) => LAYERS.findIndex((layer) => layer.includes(folder));

describe('the folders of conformance/src', () => {
  const imports = folderImports().filter((i) => i.from !== 'index.ts' && i.from !== i.to);

  it('finds the imports it checks', () => {
    expect(imports.some((i) => i.from === 'properties' && i.to === 'models')).toBe(true);
  });

  it('has a layer for every folder', () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(folders.filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  it('never lets the models import from the properties', () => {
    expect(imports.filter((i) => i.from === 'models' && i.to === 'properties').map((i) => i.where)).toEqual([]);
  });

  it('imports only downward: requirements <- models <- properties <- suite', () => {
    const upward = imports.filter((i) => layerOf(i.to) >= layerOf(i.from));
    expect(upward.map((i) => i.where)).toEqual([]);
  });
});
