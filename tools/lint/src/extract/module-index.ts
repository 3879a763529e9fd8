import type * as ts from 'typescript';
import { typescript } from '../typescript.js';
import type { SourceRef } from './node-text.js';

// typescript exports its members through getters; reading them once keeps the per-node walk cheap.
const SyntaxKind = typescript.SyntaxKind;
const {
  isClassDeclaration,
  isEnumDeclaration,
  isExportAssignment,
  isExportDeclaration,
  isFunctionDeclaration,
  isIdentifier,
  isImportDeclaration,
  isImportEqualsDeclaration,
  isNamespaceExport,
  isNamespaceImport,
  isOmittedExpression,
  isStringLiteral,
  isVariableStatement,
} = typescript;

/** What a local name imported from another module refers to. */
export interface ImportBinding {
  /** The module specifier as written (`@stateproof/core`, `./kit.js`). */
  readonly module: string;
  /** The exported name, `*` for a namespace import, `default` for a default import. */
  readonly imported: string;
}

/** What an exported name of a module is. */
export type ExportTarget =
  | { readonly type: 'local'; readonly name: string }
  | { readonly type: 'reexport'; readonly module: string; readonly imported: string }
  | { readonly type: 'expression'; readonly node: ts.Expression }
  | { readonly type: 'opaque'; readonly reason: string };

/**
 * The top level of one source file, read syntactically: imports, literal-valued consts, enums,
 * other declarations (which are never static), exports and star re-exports. Enough to follow
 * aliases and re-exports across a project without a type checker.
 */
export interface ModuleIndex {
  /** Absolute path. */
  readonly file: string;
  /** The file's text: messages quote it. The parse tree itself is not kept. */
  readonly source: SourceRef;
  readonly imports: ReadonlyMap<string, ImportBinding>;
  /** Top-level `const` declarations with a plain name: name to initializer. */
  readonly consts: ReadonlyMap<string, ts.Expression>;
  readonly enums: ReadonlyMap<string, ts.EnumDeclaration>;
  /** Top-level `let`, `var`, functions, classes and destructured names: never literal-valued. */
  readonly others: ReadonlySet<string>;
  readonly exports: ReadonlyMap<string, ExportTarget>;
  /** Specifiers of `export * from '…'`. */
  readonly starExports: readonly string[];
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return typescript.canHaveModifiers(node) && (typescript.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}

/** Adds every name a binding pattern declares to `into`. */
export function collectBindingNames(
  name: ts.BindingName,
  into: Set<string> | Map<string, unknown>,
  value?: unknown,
): void {
  if (isIdentifier(name)) {
    if (into instanceof Set) into.add(name.text);
    else into.set(name.text, value);
    return;
  }
  for (const element of name.elements) {
    if (isOmittedExpression(element)) continue;
    collectBindingNames(element.name, into, value);
  }
}

function moduleText(node: ts.Expression | undefined): string | undefined {
  return node && isStringLiteral(node) ? node.text : undefined;
}

/** Indexes the top-level statements of a parsed file. */
export function indexModule(file: string, sourceFile: ts.SourceFile): ModuleIndex {
  const imports = new Map<string, ImportBinding>();
  const consts = new Map<string, ts.Expression>();
  const enums = new Map<string, ts.EnumDeclaration>();
  const others = new Set<string>();
  const exports = new Map<string, ExportTarget>();
  const starExports: string[] = [];

  for (const statement of sourceFile.statements) {
    if (isImportDeclaration(statement)) {
      const module = moduleText(statement.moduleSpecifier);
      const clause = statement.importClause;
      if (module === undefined || !clause || clause.isTypeOnly) continue;
      if (clause.name) imports.set(clause.name.text, { module, imported: 'default' });
      const bindings = clause.namedBindings;
      if (bindings && isNamespaceImport(bindings)) imports.set(bindings.name.text, { module, imported: '*' });
      else if (bindings) {
        for (const spec of bindings.elements) {
          if (spec.isTypeOnly) continue;
          imports.set(spec.name.text, { module, imported: (spec.propertyName ?? spec.name).text });
        }
      }
      continue;
    }
    if (isImportEqualsDeclaration(statement)) {
      others.add(statement.name.text);
      continue;
    }
    if (isExportDeclaration(statement)) {
      if (statement.isTypeOnly) continue;
      const module = moduleText(statement.moduleSpecifier);
      const clause = statement.exportClause;
      if (!clause) {
        if (module !== undefined) starExports.push(module);
      } else if (isNamespaceExport(clause)) {
        if (module !== undefined) exports.set(clause.name.text, { type: 'reexport', module, imported: '*' });
      } else {
        for (const spec of clause.elements) {
          if (spec.isTypeOnly) continue;
          const local = (spec.propertyName ?? spec.name).text;
          exports.set(
            spec.name.text,
            module === undefined ? { type: 'local', name: local } : { type: 'reexport', module, imported: local },
          );
        }
      }
      continue;
    }
    if (isExportAssignment(statement)) {
      if (!statement.isExportEquals) exports.set('default', { type: 'expression', node: statement.expression });
      continue;
    }
    const exported = hasModifier(statement, SyntaxKind.ExportKeyword);
    const isDefault = hasModifier(statement, SyntaxKind.DefaultKeyword);
    if (isVariableStatement(statement)) {
      const isConst = (statement.declarationList.flags & typescript.NodeFlags.Const) !== 0;
      for (const decl of statement.declarationList.declarations) {
        if (isConst && isIdentifier(decl.name) && decl.initializer) consts.set(decl.name.text, decl.initializer);
        else collectBindingNames(decl.name, others);
        if (exported) {
          const names = new Set<string>();
          collectBindingNames(decl.name, names);
          for (const n of names) exports.set(n, { type: 'local', name: n });
        }
      }
      continue;
    }
    if (isEnumDeclaration(statement)) {
      enums.set(statement.name.text, statement);
      if (exported) exports.set(statement.name.text, { type: 'local', name: statement.name.text });
      continue;
    }
    if (isFunctionDeclaration(statement) || isClassDeclaration(statement)) {
      const name = statement.name?.text;
      if (name) others.add(name);
      if (exported && isDefault)
        exports.set(
          'default',
          name ? { type: 'local', name } : { type: 'opaque', reason: 'is an anonymous default export' },
        );
      else if (exported && name) exports.set(name, { type: 'local', name });
    }
  }
  return { file, source: { text: sourceFile.text }, imports, consts, enums, others, exports, starExports };
}
