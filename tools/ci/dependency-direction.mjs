// Guards the direction of dependency between the workspace's packages (docs/architecture.md):
// spec -> core -> conformance -> adapter kits -> cli, lint -> core, and docs -> spec. It reads every source and
// test file of every workspace package and reports:
//   - a relative import that leaves its package folder (packages talk through their names only);
//   - an import of a package the importing package does not declare (src: dependencies or
//     peerDependencies; tests: also devDependencies and the workspace root's devDependencies);
//   - an edge between workspace packages that the layering does not allow (src files only; an
//     adapter's runtime entry depends on core and spec, only its src/conformance/ kit on the suite);
//   - a cycle among the workspace packages' declared dependencies.
//
//   node tools/ci/dependency-direction.mjs [ROOT]       (exit 1 and one line per problem)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * Which workspace packages a package's src files may import, by package name. `kit` applies to
 * files under src/conformance/ of an adapter. Packages not listed (private tools such as the
 * benchmarks) may import any workspace package they declare.
 */
export const LAYERS = {
  '@stateproof/spec': { src: [] },
  '@stateproof/core': { src: ['@stateproof/spec'] },
  '@stateproof/conformance': { src: ['@stateproof/spec', '@stateproof/core'] },
  '@stateproof/lint': { src: ['@stateproof/spec', '@stateproof/core'] },
  '@stateproof/docs': { src: ['@stateproof/spec'] },
  '@stateproof/adapter-*': {
    src: ['@stateproof/spec', '@stateproof/core'],
    kit: ['@stateproof/spec', '@stateproof/core', '@stateproof/conformance'],
  },
  stateproof: {
    src: [
      '@stateproof/spec',
      '@stateproof/core',
      '@stateproof/conformance',
      '@stateproof/adapter-*',
      '@stateproof/lint',
      '@stateproof/docs',
    ],
  },
};

const SOURCE = /\.(?:[cm]?[jt]s|tsx)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'fixtures', 'coverage', 'peers']);

function matches(pattern, name) {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

function layerOf(name) {
  const key = Object.keys(LAYERS).find((k) => matches(k, name));
  return key === undefined ? undefined : LAYERS[key];
}

function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function files(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir)) {
    if (SKIP_DIRS.has(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else if (SOURCE.test(entry) && !entry.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The import specifiers of a source text: static, dynamic and require, as the TypeScript scanner finds them (strings and comments are not imports). */
export function importsOf(text) {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** The workspace packages of `root`: folder, name, manifest. */
export function workspacePackages(root) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return (manifest.workspaces ?? []).map((folder) => {
    const pkg = JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8'));
    return { folder, dir: resolve(root, folder), name: pkg.name, pkg };
  });
}

/** Every problem of the tree at `root`, as `{ file, message }` (file relative to root). */
export function checkDependencyDirection(root) {
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const rootDev = Object.keys(rootManifest.devDependencies ?? {});
  const packages = workspacePackages(root);
  const names = new Set(packages.map((p) => p.name));
  const problems = [];
  for (const p of packages) {
    const runtime = [...Object.keys(p.pkg.dependencies ?? {}), ...Object.keys(p.pkg.peerDependencies ?? {})];
    const dev = [...Object.keys(p.pkg.devDependencies ?? {}), ...rootDev];
    const layer = layerOf(p.name);
    for (const kind of ['src', 'test', 'bin']) {
      for (const file of files(join(p.dir, kind))) {
        const rel = relative(root, file);
        const inKit = kind === 'src' && relative(join(p.dir, 'src'), file).split(sep)[0] === 'conformance';
        for (const spec of importsOf(readFileSync(file, 'utf8'))) {
          if (spec.startsWith('.')) {
            // Sources stay inside their package; tests may reach the repository's examples, never another package.
            const target = resolve(dirname(file), spec);
            const other = packages.find((o) => o !== p && !relative(o.dir, target).startsWith('..'));
            if (relative(p.dir, target).startsWith('..') && (kind === 'src' || other)) {
              problems.push({
                file: rel,
                message: `relative import "${spec}" leaves ${p.folder}: import ${other ? other.name : 'the other package'} by its name`,
              });
            }
            continue;
          }
          if (spec.startsWith('node:') || builtinModules.includes(packageOf(spec))) continue;
          const dep = packageOf(spec);
          if (dep === p.name) continue;
          const declared = kind === 'src' ? runtime : [...runtime, ...dev];
          if (!declared.includes(dep)) {
            const where =
              kind === 'src' ? 'dependencies or peerDependencies' : 'dependencies, peerDependencies or devDependencies';
            problems.push({
              file: rel,
              message: `imports "${dep}", which ${p.folder}/package.json does not declare in its ${where}`,
            });
            continue;
          }
          if (kind !== 'src' || !names.has(dep) || layer === undefined) continue;
          const allowed = (inKit && layer.kit) || layer.src;
          if (!allowed.some((a) => matches(a, dep))) {
            problems.push({
              file: rel,
              message: `${p.name}${inKit ? ' (kit)' : ''} may not depend on ${dep}: the direction is spec -> core -> conformance -> adapter kits -> cli, and lint -> core`,
            });
          }
        }
      }
    }
  }
  // Cycles among the declared runtime dependencies of workspace packages.
  const edges = new Map(
    packages.map((p) => [
      p.name,
      [...Object.keys(p.pkg.dependencies ?? {}), ...Object.keys(p.pkg.peerDependencies ?? {})].filter((d) =>
        names.has(d),
      ),
    ]),
  );
  const state = new Map();
  const visit = (name, path) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'open') {
      problems.push({
        file: 'package.json',
        message: `dependency cycle: ${[...path.slice(path.indexOf(name)), name].join(' -> ')}`,
      });
      return;
    }
    state.set(name, 'open');
    for (const next of edges.get(name) ?? []) visit(next, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of names) visit(name, []);
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const root = resolve(process.argv[2] ?? join(import.meta.dirname, '../..'));
  const problems = checkDependencyDirection(root);
  for (const p of problems) console.log(`${p.file}: ${p.message}`);
  console.log(
    problems.length === 0 ? 'dependency direction: ok' : `dependency direction: ${problems.length} problem(s)`,
  );
  process.exit(problems.length === 0 ? 0 : 1);
}
