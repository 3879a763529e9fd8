import type * as ts from 'typescript';
import { typescript } from '../typescript.js';
import { evaluate, type Scope } from './evaluate.js';
import type { SourceRef } from './node-text.js';
import { collectBindingNames } from './module-index.js';
import { Unknown, type StaticValue } from './static-value.js';

const {
  isBlock,
  isClassDeclaration,
  isEnumDeclaration,
  isFunctionDeclaration,
  isFunctionExpression,
  isIdentifier,
  isVariableStatement,
} = typescript;

/**
 * A function or block scope: names declared there shadow the module's imports. A local `const`
 * with an initializer evaluates like a top-level one; parameters and other locals are unknown.
 */
export class LocalScope implements Scope {
  private readonly cache = new Map<string, StaticValue>();

  constructor(
    private readonly names: ReadonlyMap<string, ts.Expression | null>,
    private readonly parent: Scope,
    private readonly sourceFile: SourceRef,
  ) {}

  declares(name: string): boolean {
    return this.names.has(name) || this.parent.declares(name);
  }

  declaresLocally(name: string): boolean {
    return this.names.has(name) || (this.parent.declaresLocally?.(name) ?? false);
  }

  lookup(name: string): StaticValue | undefined {
    if (!this.names.has(name)) return this.parent.lookup(name);
    if (this.cache.has(name)) return this.cache.get(name);
    const init = this.names.get(name);
    this.cache.set(name, new Unknown(`${name} is part of a cycle of definitions`));
    let value = init ? evaluate(init, this, this.sourceFile) : new Unknown(`${name} is a parameter or local variable`);
    if (init && value instanceof Unknown && !value.external) value = value.through(name);
    this.cache.set(name, value);
    return value;
  }
}

/** Adds the names that `statements` declare directly (hoisted functions, classes, variables). */
export function declaredNames(statements: readonly ts.Statement[], into: Map<string, ts.Expression | null>): void {
  for (const s of statements) {
    if (isVariableStatement(s)) {
      const isConst = (s.declarationList.flags & typescript.NodeFlags.Const) !== 0;
      for (const d of s.declarationList.declarations) {
        if (isConst && isIdentifier(d.name) && d.initializer) into.set(d.name.text, d.initializer);
        else collectBindingNames(d.name, into, null);
      }
    } else if ((isFunctionDeclaration(s) || isClassDeclaration(s) || isEnumDeclaration(s)) && s.name) {
      into.set(s.name.text, null);
    }
  }
}

/** The scope a function-like node opens: its parameters and the names its body declares. */
export function functionScope(fn: ts.SignatureDeclaration, parent: Scope, sourceFile: SourceRef): Scope {
  const names = new Map<string, ts.Expression | null>();
  for (const p of fn.parameters) collectBindingNames(p.name, names, null);
  if ((isFunctionExpression(fn) || isFunctionDeclaration(fn)) && fn.name) names.set(fn.name.text, null);
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (body && isBlock(body)) declaredNames(body.statements, names);
  return names.size === 0 ? parent : new LocalScope(names, parent, sourceFile);
}
