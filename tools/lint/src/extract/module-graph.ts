import { dirname, resolve } from 'node:path';
import { SURFACE_KINDS, type SurfaceKind } from '@stateproof/spec';
import { evaluate, evaluateEnum, type Scope } from './evaluate.js';
import type { ImportBinding, ModuleIndex } from './module-index.js';
import {
  KindFunction,
  Namespace,
  SchemaBuilder,
  Unknown,
  UntranslatedBuilder,
  type StaticValue,
} from './static-value.js';

/** The module whose kind functions define surfaces. */
export const CORE_MODULE = '@stateproof/core';
/** The module whose builders the linter translates to JSON Schema. */
export const TYPEBOX_MODULE = '@sinclair/typebox';

const TYPEBOX_BUILDERS = new Set([
  'String',
  'Number',
  'Integer',
  'Boolean',
  'Null',
  'Unknown',
  'Any',
  'Never',
  'Literal',
  'Object',
  'Union',
  'Array',
  'Record',
  'Tuple',
  'Optional',
  'ReadonlyOptional',
  'Readonly',
  'Partial',
  'Required',
]);

// Extensions tried for an import specifier, in TypeScript's order; `.js` in a specifier maps to `.ts`.
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const SOURCE_FOR = new Map([
  ['.js', ['.ts', '.tsx', '.js', '.jsx']],
  ['.mjs', ['.mts', '.mjs']],
  ['.cjs', ['.cts', '.cjs']],
  ['.jsx', ['.tsx', '.jsx']],
]);

const typeNamespace = new Namespace('Type', (name) =>
  TYPEBOX_BUILDERS.has(name)
    ? new SchemaBuilder(name)
    : new UntranslatedBuilder(`Type.${name} is not translated statically`),
);

function coreExport(name: string): StaticValue {
  if ((SURFACE_KINDS as readonly string[]).includes(name)) return new KindFunction(name as SurfaceKind);
  if (name === '*') return new Namespace(CORE_MODULE, coreExport);
  return new Unknown(`${name} from ${CORE_MODULE} is not a definition function`, true);
}

function typeboxExport(name: string): StaticValue {
  if (name === 'Type' || name === 'default') return typeNamespace;
  if (name === '*') return new Namespace(TYPEBOX_MODULE, typeboxExport);
  if (TYPEBOX_BUILDERS.has(name)) return new SchemaBuilder(name);
  return new UntranslatedBuilder(`${name} from ${TYPEBOX_MODULE} is not translated statically`);
}

/** An export that a module does not have. */
class NotExported extends Unknown {}

/** Options of {@link ModuleGraph}. */
export interface ModuleGraphOptions {
  /**
   * One file on its own (the ESLint rules): imports of other files are external, not resolved, and
   * values they bring are given the benefit of the doubt.
   */
  readonly singleFile?: boolean;
  /** tsconfig `paths`, as absolute target patterns. */
  readonly paths?: readonly PathMapping[];
}

/**
 * One tsconfig `paths` entry: a specifier `prefix*suffix` (or an exact specifier, with an empty
 * suffix and no star) maps to absolute target patterns where `*` stands for the matched part.
 */
export interface PathMapping {
  /** The part of the specifier before the `*` (the whole specifier without one). */
  readonly prefix: string;
  /** The part after the `*`. */
  readonly suffix: string;
  /** Whether the pattern has a `*`; without one it matches the prefix exactly. */
  readonly wildcard: boolean;
  /** Absolute target patterns, tried in order; `*` stands for the matched part. */
  readonly targets: readonly string[];
}

/** Where the graph finds module indexes: a Map, or a loader that indexes project files on demand. */
export interface ModuleSource {
  has(file: string): boolean;
  get(file: string): ModuleIndex | undefined;
}

/**
 * The files of a project and how they import each other: resolves relative specifiers among the
 * project's files, follows named, renamed, namespace, star and re-exports, and gives each file a
 * {@link Scope} in which top-level names evaluate to static values.
 */
export class ModuleGraph {
  private readonly scopes = new Map<string, ModuleScope>();

  constructor(
    readonly modules: ModuleSource,
    readonly options: ModuleGraphOptions = {},
  ) {}

  /** The project file a specifier imported from `fromFile` names, if it is one. */
  resolveFile(fromFile: string, specifier: string): string | undefined {
    if (this.options.singleFile) return undefined;
    if (specifier.startsWith('.')) return this.resolvePath(resolve(dirname(fromFile), specifier));
    for (const { prefix, suffix, wildcard, targets } of this.options.paths ?? []) {
      const matches = wildcard
        ? prefix.length + suffix.length <= specifier.length &&
          specifier.startsWith(prefix) &&
          specifier.endsWith(suffix)
        : specifier === prefix;
      if (!matches) continue;
      const matched = specifier.slice(prefix.length, specifier.length - suffix.length);
      for (const target of targets) {
        const file = this.resolvePath(target.replace('*', matched));
        if (file !== undefined) return file;
      }
    }
    return undefined;
  }

  /** A project file for an absolute path written without, or with a JavaScript, extension. */
  private resolvePath(base: string): string | undefined {
    if (this.modules.has(base)) return base;
    const ext = EXTENSIONS.find((e) => base.endsWith(e));
    if (ext) {
      const stem = base.slice(0, -ext.length);
      for (const alt of SOURCE_FOR.get(ext) ?? []) if (this.modules.has(stem + alt)) return stem + alt;
    }
    for (const e of EXTENSIONS) if (this.modules.has(base + e)) return base + e;
    for (const e of EXTENSIONS) if (this.modules.has(`${base}/index${e}`)) return `${base}/index${e}`;
    return undefined;
  }

  /** The scope of a project file's top level. */
  scope(file: string): ModuleScope {
    let s = this.scopes.get(file);
    if (!s) {
      const index = this.modules.get(file);
      if (!index) throw new Error(`not a project file: ${file}`);
      s = new ModuleScope(index, this);
      this.scopes.set(file, s);
    }
    return s;
  }

  /** The value of `binding` as imported by `fromFile`. */
  importValue(fromFile: string, binding: ImportBinding, visiting: Set<string>): StaticValue {
    if (binding.module === CORE_MODULE) return coreExport(binding.imported);
    if (binding.module === TYPEBOX_MODULE) return typeboxExport(binding.imported);
    const file = this.resolveFile(fromFile, binding.module);
    if (file === undefined)
      return new Unknown(
        `${binding.imported === '*' ? 'namespace' : binding.imported} is imported from ${binding.module}, outside the analysed files`,
        true,
      );
    return this.exportValue(file, binding.imported, visiting);
  }

  /** The value a project file exports under `name` (`*`: its namespace). */
  exportValue(file: string, name: string, visiting: Set<string>): StaticValue {
    if (name === '*') return new Namespace(file, (member) => this.exportValue(file, member, new Set()));
    const key = `${file}\u0000${name}`;
    if (visiting.has(key)) return new Unknown(`${name} is part of a cycle of definitions`);
    visiting.add(key);
    try {
      const index = this.modules.get(file);
      if (!index) return new Unknown(`${file} is not analysed`, true);
      const target = index.exports.get(name);
      if (target) {
        switch (target.type) {
          case 'local':
            return (
              this.scope(file).lookupAt(target.name, visiting) ??
              new Unknown(`${target.name} is not declared in ${file}`)
            );
          case 'reexport':
            return this.importValue(file, { module: target.module, imported: target.imported }, visiting);
          case 'expression':
            return evaluate(target.node, this.scope(file), index.source);
          case 'opaque':
            return new Unknown(`the default export of ${file} ${target.reason}`);
        }
      }
      if (name === 'default') return new NotExported(`${file} has no default export`);
      // `export *` never re-exports a default; the first star module that has the name wins.
      let external = false;
      for (const spec of index.starExports) {
        if (spec === CORE_MODULE) {
          if ((SURFACE_KINDS as readonly string[]).includes(name)) return coreExport(name);
          continue;
        }
        if (spec === TYPEBOX_MODULE) {
          if (name === 'Type' || TYPEBOX_BUILDERS.has(name)) return typeboxExport(name);
          continue;
        }
        const from = this.resolveFile(file, spec);
        if (from === undefined) {
          external = true;
          continue;
        }
        const value = this.exportValue(from, name, visiting);
        if (!(value instanceof NotExported)) return value;
      }
      return new NotExported(`${name} is not exported by ${file}`, external);
    } finally {
      visiting.delete(key);
    }
  }
}

/** The top level of one project file as a {@link Scope}. Values are computed once. */
export class ModuleScope implements Scope {
  private readonly cache = new Map<string, StaticValue>();

  constructor(
    readonly index: ModuleIndex,
    private readonly graph: ModuleGraph,
  ) {}

  declares(name: string): boolean {
    const i = this.index;
    return i.consts.has(name) || i.enums.has(name) || i.imports.has(name) || i.others.has(name);
  }

  lookup(name: string): StaticValue | undefined {
    return this.lookupAt(name, new Set());
  }

  /** Like lookup, with the set of exports being resolved (to stop at cycles). */
  lookupAt(name: string, visiting: Set<string>): StaticValue | undefined {
    if (this.cache.has(name)) return this.cache.get(name);
    const i = this.index;
    const key = `${i.file}\u0000local:${name}`;
    if (visiting.has(key)) return new Unknown(`${name} is part of a cycle of definitions`);
    visiting.add(key);
    let value: StaticValue | undefined;
    const init = i.consts.get(name);
    if (init) {
      value = evaluate(
        init,
        { lookup: (n) => this.lookupAt(n, visiting), declares: (n) => this.declares(n) },
        i.source,
      );
      if (value instanceof Unknown && !value.external) value = value.through(name);
    } else if (i.enums.has(name)) value = evaluateEnum(i.enums.get(name)!, this, i.source);
    else if (i.imports.has(name)) value = this.graph.importValue(i.file, i.imports.get(name)!, visiting);
    else if (i.others.has(name)) value = new Unknown(`${name} is not a const`);
    visiting.delete(key);
    this.cache.set(name, value);
    return value;
  }
}
