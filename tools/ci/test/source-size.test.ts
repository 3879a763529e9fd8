import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../../..');
const LIMIT = 400;

/** The TypeScript sources of every workspace package (src/ only: tests and fixtures may be longer). */
function sources(): string[] {
  const { workspaces } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { workspaces: string[] };
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return walk(path);
      return entry.endsWith('.ts') && !entry.endsWith('.d.ts') ? [path] : [];
    });
  return workspaces.flatMap((w) => walk(join(repo, w, 'src')));
}

describe('source files', () => {
  it(`stay at or under ${LIMIT} lines each (one concept per file; split by concept when one grows)`, () => {
    const files = sources();
    expect(files.length).toBeGreaterThan(100);
    const long = files
      .map((f) => ({ file: relative(repo, f), lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > LIMIT);
    expect(long).toEqual([]);
  });
});
