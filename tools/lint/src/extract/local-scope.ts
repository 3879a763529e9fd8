import ts from 'typescript';
import { evaluate, type Scope } from './evaluate.js';
import { collectBindingNames } from './module-index.js';
import { Unknown, type StaticValue } from './static-value.js';

/**
 * A function or block scope: names declared there shadow the module's imports. A local `const`
 * with an initializer evaluates like a top-level one; parameters and other locals are unknown.
 */
export class LocalScope implements Scope {
  private readonly cache = new Map<string, StaticValue>();

  constructor(
    private readonly names: ReadonlyMap<string, ts.Expression | null>,
    private readonly parent: Scope,
    private readonly sourceFile: ts.SourceFile,
  ) {}

  declares(name: string): boolean {
    return this.names.has(name) || this.parent.declares(name);
  }

  lookup(name: string): StaticValue | undefined {
    if (!this.names.has(name)) return this.parent.lookup(name);
    if (this.cache.has(name)) return this.cache.get(name);
    const init = this.names.get(name);
    this.cache.set(name, new Unknown(`${name} refers to itself`));
    let value = init ? evaluate(init, this, this.sourceFile) : new Unknown(`${name} is a parameter or local variable`);
    if (init && value instanceof Unknown && !value.external) value = value.through(name);
    this.cache.set(name, value);
    return value;
  }
}

/** Adds the names that `statements` declare directly (hoisted functions, classes, variables). */
export function declaredNames(statements: readonly ts.Statement[], into: Map<string, ts.Expression | null>): void {
  for (const s of statements) {
    if (ts.isVariableStatement(s)) {
      const isConst = (s.declarationList.flags & ts.NodeFlags.Const) !== 0;
      for (const d of s.declarationList.declarations) {
        if (isConst && ts.isIdentifier(d.name) && d.initializer) into.set(d.name.text, d.initializer);
        else collectBindingNames(d.name, into, null);
      }
    } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) {
      into.set(s.name.text, null);
    }
  }
}

/** The scope a function-like node opens: its parameters and the names its body declares. */
export function functionScope(fn: ts.SignatureDeclaration, parent: Scope, sourceFile: ts.SourceFile): Scope {
  const names = new Map<string, ts.Expression | null>();
  for (const p of fn.parameters) collectBindingNames(p.name, names, null);
  if ((ts.isFunctionExpression(fn) || ts.isFunctionDeclaration(fn)) && fn.name) names.set(fn.name.text, null);
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (body && ts.isBlock(body)) declaredNames(body.statements, names);
  return names.size === 0 ? parent : new LocalScope(names, parent, sourceFile);
}
