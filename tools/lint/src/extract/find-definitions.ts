import ts from 'typescript';
import type { SurfaceKind } from '@stateproof/spec';
import type { Scope } from './evaluate.js';
import { declaredNames, functionScope, LocalScope } from './local-scope.js';
import type { ModuleScope } from './module-graph.js';
import { collectBindingNames } from './module-index.js';
import { evaluate } from './evaluate.js';
import { KindFunction, Namespace, Unknown, type StaticValue } from './static-value.js';

/** Where a definition runs when it is not at module top level. */
export interface RuntimeContext {
  readonly type: 'function' | 'method' | 'callback' | 'loop' | 'conditional' | 'class field';
  /** The function or method name, when it has one. */
  readonly name?: string;
}

/** One call of a kind function, with what could be evaluated of it. */
export interface DefinitionSite {
  readonly kind: SurfaceKind;
  readonly sourceFile: ts.SourceFile;
  readonly call: ts.CallExpression;
  readonly idNode: ts.Expression | undefined;
  /** The evaluated id (a string when static). */
  readonly id: StaticValue;
  readonly optionsNode: ts.Expression | undefined;
  /** The evaluated options object. */
  readonly options: StaticValue;
  /** Innermost function, method, callback, loop or conditional around the call; undefined at top level. */
  readonly context: RuntimeContext | undefined;
}

function isFunctionLike(node: ts.Node): node is ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node);
}

function nameText(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

function isStatic(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) ?? false);
}

const SHORT_CIRCUIT = new Set([
  ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken, ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken,
]);

/** True when some top-level import of the file may bring a kind function (directly or through a namespace). */
export function mayDefine(scope: ModuleScope): boolean {
  for (const name of scope.index.imports.keys()) {
    const v = scope.lookup(name);
    if (v instanceof KindFunction || (v instanceof Namespace && v.label !== 'Type')) return true;
  }
  return false;
}

/**
 * Finds every call of a kind function in a file, following the file's imports (named, renamed,
 * namespace, re-exported through project files) and local shadowing, and notes the innermost
 * runtime context (function, method, callback, loop, conditional) around each call.
 */
export function findDefinitions(scope: ModuleScope): DefinitionSite[] {
  const sf = scope.index.sourceFile;
  const sites: DefinitionSite[] = [];

  const calleeKind = (callee: ts.Expression, s: Scope): SurfaceKind | undefined => {
    let e = callee;
    while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e) && !ts.isElementAccessExpression(e)) return undefined;
    const v = evaluate(e, s, sf);
    return v instanceof KindFunction ? v.kind : undefined;
  };

  const visitFunction = (fn: ts.SignatureDeclaration, s: Scope, context: RuntimeContext): void => {
    const inner = functionScope(fn, s, sf);
    ts.forEachChild(fn, (child) => visit(child, inner, context));
  };

  const visit = (node: ts.Node, s: Scope, context: RuntimeContext | undefined): void => {
    if (ts.isCallExpression(node)) {
      const kind = calleeKind(node.expression, s);
      if (kind) {
        const [idNode, optionsNode] = node.arguments;
        const id = idNode && !ts.isSpreadElement(idNode) ? evaluate(idNode, s, sf) : new Unknown('no id argument');
        const options = optionsNode && !ts.isSpreadElement(optionsNode) ? evaluate(optionsNode, s, sf) : new Unknown('no options argument');
        sites.push({ kind, sourceFile: sf, call: node, idNode, id, optionsNode, options, context });
      }
      visit(node.expression, s, context);
      for (const arg of node.arguments) {
        if (isFunctionLike(arg)) {
          const name = ts.isArrowFunction(arg) ? undefined : arg.name?.text;
          visitFunction(arg, s, { type: 'callback', ...(name ? { name } : {}) });
        } else visit(arg, s, context);
      }
      return;
    }
    if (isFunctionLike(node)) {
      const name = nameText(node.name);
      visitFunction(node, s, { type: 'function', ...(name ? { name } : {}) });
      return;
    }
    if (ts.isVariableDeclaration(node) && node.initializer && isFunctionLike(node.initializer)) {
      const name = nameText(node.name);
      visitFunction(node.initializer, s, { type: 'function', ...(name ? { name } : {}) });
      return;
    }
    if (ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) {
      const name = ts.isConstructorDeclaration(node) ? 'constructor' : nameText(node.name);
      visitFunction(node, s, { type: 'method', ...(name ? { name } : {}) });
      return;
    }
    if (ts.isPropertyDeclaration(node) && node.initializer && !isStatic(node)) {
      const name = nameText(node.name);
      if (isFunctionLike(node.initializer)) visitFunction(node.initializer, s, { type: 'method', ...(name ? { name } : {}) });
      else visit(node.initializer, s, { type: 'class field', ...(name ? { name } : {}) });
      return;
    }
    if (ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node)) {
      let inner = s;
      if ((ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node)) && node.initializer && ts.isVariableDeclarationList(node.initializer)) {
        const names = new Map<string, ts.Expression | null>();
        for (const d of node.initializer.declarations) collectBindingNames(d.name, names, null);
        inner = new LocalScope(names, s, sf);
      }
      ts.forEachChild(node, (child) => visit(child, inner, { type: 'loop' }));
      return;
    }
    if (ts.isIfStatement(node)) {
      visit(node.expression, s, context);
      visit(node.thenStatement, s, { type: 'conditional' });
      if (node.elseStatement) visit(node.elseStatement, s, { type: 'conditional' });
      return;
    }
    if (ts.isConditionalExpression(node)) {
      visit(node.condition, s, context);
      visit(node.whenTrue, s, { type: 'conditional' });
      visit(node.whenFalse, s, { type: 'conditional' });
      return;
    }
    if (ts.isBinaryExpression(node) && SHORT_CIRCUIT.has(node.operatorToken.kind)) {
      visit(node.left, s, context);
      visit(node.right, s, { type: 'conditional' });
      return;
    }
    if (ts.isSwitchStatement(node)) {
      visit(node.expression, s, context);
      visit(node.caseBlock, s, { type: 'conditional' });
      return;
    }
    if (ts.isCatchClause(node)) {
      const names = new Map<string, ts.Expression | null>();
      if (node.variableDeclaration) collectBindingNames(node.variableDeclaration.name, names, null);
      visit(node.block, names.size ? new LocalScope(names, s, sf) : s, { type: 'conditional' });
      return;
    }
    if (ts.isBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) {
      const names = new Map<string, ts.Expression | null>();
      declaredNames(node.statements, names);
      const inner = names.size ? new LocalScope(names, s, sf) : s;
      ts.forEachChild(node, (child) => visit(child, inner, context));
      return;
    }
    ts.forEachChild(node, (child) => visit(child, s, context));
  };

  for (const statement of sf.statements) visit(statement, scope, undefined);
  return sites;
}
