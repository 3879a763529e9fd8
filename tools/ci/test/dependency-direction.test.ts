import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDependencyDirection, importsOf } from '../dependency-direction.mjs';

const repo = join(import.meta.dirname, '../../..');

/** A workspace of four packages in the project's shape; `files` adds source files to it. */
function workspace(files: Record<string, string>, deps: Record<string, object> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'stateproof-deps-'));
  const packages: Record<
    string,
    { name: string; dependencies?: Record<string, string>; peerDependencies?: Record<string, string> }
  > = {
    spec: { name: '@stateproof/spec' },
    'packages/core': { name: '@stateproof/core', dependencies: { '@stateproof/spec': '0.1.0' } },
    conformance: {
      name: '@stateproof/conformance',
      dependencies: { '@stateproof/core': '0.1.0', '@stateproof/spec': '0.1.0' },
    },
    'adapters/x': {
      name: '@stateproof/adapter-x',
      dependencies: { '@stateproof/core': '0.1.0' },
      peerDependencies: { '@stateproof/conformance': '0.1.0' },
    },
  };
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('package.json', JSON.stringify({ workspaces: Object.keys(packages), devDependencies: { vitest: '4' } }));
  for (const [folder, pkg] of Object.entries(packages))
    write(`${folder}/package.json`, JSON.stringify({ ...pkg, ...(deps[folder] ?? {}) }));
  for (const [path, text] of Object.entries(files)) write(path, text);
  return root;
}

describe('the dependency direction', () => {
  it('holds in this repository: spec -> core -> conformance -> adapter kits -> cli, lint -> core, every import declared', () => {
    expect(checkDependencyDirection(repo)).toEqual([]);
  });

  it('accepts the allowed shape: core on spec, an adapter kit on the suite, a test on a dev tool', () => {
    const root = workspace({
      'packages/core/src/a.ts':
        "import { x } from '@stateproof/spec';\nimport { join } from 'node:path';\nimport './b.js';",
      'adapters/x/src/conformance/kit.ts': "import type { ConformanceKit } from '@stateproof/conformance';",
      'adapters/x/test/a.test.ts': "import { it } from 'vitest';",
    });
    expect(checkDependencyDirection(root)).toEqual([]);
  });

  it('refuses core depending on the suite, even when declared (and names the cycle it makes)', () => {
    const core = {
      name: '@stateproof/core',
      dependencies: { '@stateproof/spec': '0.1.0', '@stateproof/conformance': '0.1.0' },
    };
    const problems = checkDependencyDirection(
      workspace(
        { 'packages/core/src/a.ts': "import { runConformance } from '@stateproof/conformance';" },
        { 'packages/core': core },
      ),
    ).map((p) => p.message);
    expect(problems).toContain(
      '@stateproof/core may not depend on @stateproof/conformance: the direction is spec -> core -> conformance -> adapter kits -> cli, and lint -> core',
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /dependency cycle: @stateproof\/core -> @stateproof\/conformance -> @stateproof\/core|dependency cycle: @stateproof\/conformance -> @stateproof\/core -> @stateproof\/conformance/,
      ),
    );
  });

  it.each([
    [
      'packages/core/src/a.ts',
      "import { runConformance } from '@stateproof/conformance';",
      'imports "@stateproof/conformance", which packages/core/package.json does not declare',
    ],
    [
      'adapters/x/src/x-adapter.ts',
      "import { Mutant } from '@stateproof/conformance';",
      '@stateproof/adapter-x may not depend on @stateproof/conformance',
    ],
    [
      'conformance/src/a.ts',
      "import { xAdapter } from '@stateproof/adapter-x';",
      'which conformance/package.json does not declare',
    ],
    [
      'conformance/src/b.ts',
      "import { helper } from '../../packages/core/src/helper.js';",
      'relative import "../../packages/core/src/helper.js" leaves conformance',
    ],
    [
      'conformance/test/b.test.ts',
      "const m = await import('../../adapters/x/src/x.js');",
      'import @stateproof/adapter-x by its name',
    ],
    [
      'packages/core/src/c.ts',
      "const pg = require('pg');",
      'imports "pg", which packages/core/package.json does not declare',
    ],
  ])('refuses a deliberately wrong import in %s', (file, text, message) => {
    const problems = checkDependencyDirection(workspace({ [file]: text }));
    expect(problems.map((p) => `${p.file}: ${p.message}`).join('\n')).toContain(message);
  });

  it('finds a cycle among declared dependencies', () => {
    const root = workspace({}, { spec: { dependencies: { '@stateproof/conformance': '0.1.0' } } });
    expect(checkDependencyDirection(root).map((p) => p.message)).toContainEqual(
      expect.stringMatching(/dependency cycle: .*@stateproof\/spec/),
    );
  });

  it('reads imports with the TypeScript scanner: strings and comments are not imports', () => {
    expect(
      importsOf("// import 'a'\nconst s = `import x from 'b'`;\nimport c from 'c';\nexport * from './d.js';"),
    ).toEqual(['c', './d.js']);
  });
});
