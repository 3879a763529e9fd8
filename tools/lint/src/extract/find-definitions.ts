import type * as ts from 'typescript';
import { typescript } from '../typescript.js';
import type { SurfaceKind } from '@stateproof/spec';
import type { Scope } from './evaluate.js';
import { declaredNames, functionScope, LocalScope } from './local-scope.js';
import type { ModuleScope } from './module-graph.js';
import { collectBindingNames } from './module-index.js';
import { evaluate } from './evaluate.js';
import { KindFunction, Namespace, Unknown, type StaticValue } from './static-value.js';

// typescript exports its members through getters; reading them once keeps the per-node walk cheap.
const SyntaxKind = typescript.SyntaxKind;
const {
  forEachChild,
  isArrowFunction,
  isElementAccessExpression,
  isFunctionDeclaration,
  isFunctionExpression,
  isIdentifier,
  isNonNullExpression,
  isNumericLiteral,
  isParenthesizedExpression,
  isPrivateIdentifier,
  isPropertyAccessExpression,
  isSpreadElement,
  isStringLiteral,
  isVariableDeclarationList,
} = typescript;

/** Where a definition runs when it is not at module top level. */
export interface RuntimeContext {
  /** What encloses the call. */
  readonly type: 'function' | 'method' | 'callback' | 'loop' | 'conditional' | 'class field';
  /** The function or method name, when it has one. */
  readonly name?: string;
}

/** One call of a kind function, with what could be evaluated of it. */
export interface DefinitionSite {
  /** The kind of the kind function called. */
  readonly kind: SurfaceKind;
  /** The file of the call. */
  readonly sourceFile: ts.SourceFile;
  /** The call. */
  readonly call: ts.CallExpression;
  /** The id argument; undefined when the call has none. */
  readonly idNode: ts.Expression | undefined;
  /** The evaluated id (a string when static). */
  readonly id: StaticValue;
  /** The options argument; undefined when the call has none. */
  readonly optionsNode: ts.Expression | undefined;
  /** The evaluated options object. */
  readonly options: StaticValue;
  /** Innermost function, method, callback, loop or conditional around the call; undefined at top level. */
  readonly context: RuntimeContext | undefined;
}

function isFunctionLike(node: ts.Node): node is ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction {
  return isFunctionDeclaration(node) || isFunctionExpression(node) || isArrowFunction(node);
}

function nameText(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (isIdentifier(name) || isStringLiteral(name) || isPrivateIdentifier(name) || isNumericLiteral(name))
    return name.text;
  return undefined;
}

function isStatic(node: ts.Node): boolean {
  return (
    typescript.canHaveModifiers(node) &&
    (typescript.getModifiers(node)?.some((m) => m.kind === SyntaxKind.StaticKeyword) ?? false)
  );
}

const SHORT_CIRCUIT = new Set([
  SyntaxKind.AmpersandAmpersandToken,
  SyntaxKind.BarBarToken,
  SyntaxKind.QuestionQuestionToken,
  SyntaxKind.AmpersandAmpersandEqualsToken,
  SyntaxKind.BarBarEqualsToken,
  SyntaxKind.QuestionQuestionEqualsToken,
]);

/** Top-level names of a file whose value is a kind function or a namespace that may hold one. */
function kindRoots(scope: ModuleScope): Set<string> {
  const out = new Set<string>();
  const holds = (v: StaticValue | undefined) =>
    v instanceof KindFunction || (v instanceof Namespace && v.label !== 'Type');
  for (const name of scope.index.imports.keys()) if (holds(scope.lookup(name))) out.add(name);
  for (const [name, init] of scope.index.consts) {
    let e = init;
    while (isParenthesizedExpression(e) || isNonNullExpression(e)) e = e.expression;
    if ((isIdentifier(e) || isPropertyAccessExpression(e) || isElementAccessExpression(e)) && holds(scope.lookup(name)))
      out.add(name);
  }
  return out;
}

/**
 * True when some top-level import of the file may bring a kind function (directly or through a namespace).
 * @internal
 */
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
 * @internal
 */
export function findDefinitions(scope: ModuleScope, sf: ts.SourceFile): DefinitionSite[] {
  const sites: DefinitionSite[] = [];
  // The walk keeps its scope and context in two variables (saved and restored around nested
  // scopes) so that visiting a node allocates nothing: it runs over every node of the project.
  let s: Scope = scope;
  let context: RuntimeContext | undefined;

  const roots = kindRoots(scope);
  const calleeKind = (callee: ts.Expression): SurfaceKind | undefined => {
    let e = callee;
    while (isParenthesizedExpression(e) || isNonNullExpression(e)) e = e.expression;
    if (!isIdentifier(e) && !isPropertyAccessExpression(e) && !isElementAccessExpression(e)) return undefined;
    // Most calls (out.push, this.cache.get) cannot reach a kind function: only names that hold one
    // at top level, or names declared locally (a local alias or a shadowing parameter), are evaluated.
    let root: ts.Expression = e;
    while (
      isPropertyAccessExpression(root) ||
      isElementAccessExpression(root) ||
      isParenthesizedExpression(root) ||
      isNonNullExpression(root)
    )
      root = root.expression;
    if (!isIdentifier(root) || !(roots.has(root.text) || (s !== scope && s.declaresLocally?.(root.text))))
      return undefined;
    const v = evaluate(e, s, sf);
    return v instanceof KindFunction ? v.kind : undefined;
  };

  const within = (
    nextScope: Scope,
    nextContext: RuntimeContext | undefined,
    node: ts.Node | undefined,
    children: boolean,
  ): void => {
    if (!node) return;
    const savedScope = s;
    const savedContext = context;
    s = nextScope;
    context = nextContext;
    if (children) forEachChild(node, visit);
    else visit(node);
    s = savedScope;
    context = savedContext;
  };

  const visitFunction = (fn: ts.SignatureDeclaration, next: RuntimeContext): void => {
    within(functionScope(fn, s, sf), next, fn, true);
  };

  const named = (type: RuntimeContext['type'], name: string | undefined): RuntimeContext =>
    name ? { type, name } : { type };

  const blockScope = (statements: readonly ts.Statement[]): Scope => {
    const names = new Map<string, ts.Expression | null>();
    declaredNames(statements, names);
    return names.size ? new LocalScope(names, s, sf) : s;
  };

  function visit(node: ts.Node): void {
    const kind = node.kind;
    // Types, interfaces and imports hold no calls.
    if (
      (kind >= SyntaxKind.FirstTypeNode && kind <= SyntaxKind.LastTypeNode) ||
      kind === SyntaxKind.InterfaceDeclaration ||
      kind === SyntaxKind.TypeAliasDeclaration ||
      kind === SyntaxKind.ImportDeclaration
    )
      return;
    switch (kind) {
      case SyntaxKind.CallExpression: {
        const call = node as ts.CallExpression;
        const found = calleeKind(call.expression);
        if (found) {
          const [idNode, optionsNode] = call.arguments;
          const id = idNode && !isSpreadElement(idNode) ? evaluate(idNode, s, sf) : new Unknown('no id argument');
          const options =
            optionsNode && !isSpreadElement(optionsNode)
              ? evaluate(optionsNode, s, sf)
              : new Unknown('no options argument');
          sites.push({ kind: found, sourceFile: sf, call, idNode, id, optionsNode, options, context });
        }
        visit(call.expression);
        for (const arg of call.arguments) {
          if (isFunctionLike(arg))
            visitFunction(arg, named('callback', isArrowFunction(arg) ? undefined : arg.name?.text));
          else visit(arg);
        }
        return;
      }
      case SyntaxKind.FunctionDeclaration:
      case SyntaxKind.FunctionExpression:
      case SyntaxKind.ArrowFunction:
        visitFunction(
          node as ts.SignatureDeclaration,
          named('function', nameText((node as ts.FunctionDeclaration).name)),
        );
        return;
      case SyntaxKind.VariableDeclaration: {
        const decl = node as ts.VariableDeclaration;
        if (decl.initializer && isFunctionLike(decl.initializer))
          visitFunction(decl.initializer, named('function', nameText(decl.name)));
        else if (decl.initializer) visit(decl.initializer);
        return;
      }
      case SyntaxKind.MethodDeclaration:
      case SyntaxKind.GetAccessor:
      case SyntaxKind.SetAccessor:
        visitFunction(node as ts.SignatureDeclaration, named('method', nameText((node as ts.MethodDeclaration).name)));
        return;
      case SyntaxKind.Constructor:
        visitFunction(node as ts.SignatureDeclaration, { type: 'method', name: 'constructor' });
        return;
      case SyntaxKind.PropertyDeclaration: {
        const prop = node as ts.PropertyDeclaration;
        if (!prop.initializer) return;
        if (isStatic(prop)) visit(prop.initializer);
        else if (isFunctionLike(prop.initializer))
          visitFunction(prop.initializer, named('method', nameText(prop.name)));
        else within(s, named('class field', nameText(prop.name)), prop.initializer, false);
        return;
      }
      case SyntaxKind.ForStatement:
      case SyntaxKind.ForOfStatement:
      case SyntaxKind.ForInStatement: {
        const init = (node as ts.ForStatement).initializer;
        let inner = s;
        if (init && isVariableDeclarationList(init)) {
          const names = new Map<string, ts.Expression | null>();
          for (const d of init.declarations) collectBindingNames(d.name, names, null);
          inner = new LocalScope(names, s, sf);
        }
        within(inner, LOOP, node, true);
        return;
      }
      case SyntaxKind.WhileStatement:
      case SyntaxKind.DoStatement:
        within(s, LOOP, node, true);
        return;
      case SyntaxKind.IfStatement: {
        const stmt = node as ts.IfStatement;
        visit(stmt.expression);
        within(s, CONDITIONAL, stmt.thenStatement, false);
        within(s, CONDITIONAL, stmt.elseStatement, false);
        return;
      }
      case SyntaxKind.ConditionalExpression: {
        const expr = node as ts.ConditionalExpression;
        visit(expr.condition);
        within(s, CONDITIONAL, expr.whenTrue, false);
        within(s, CONDITIONAL, expr.whenFalse, false);
        return;
      }
      case SyntaxKind.BinaryExpression: {
        const expr = node as ts.BinaryExpression;
        visit(expr.left);
        if (SHORT_CIRCUIT.has(expr.operatorToken.kind)) within(s, CONDITIONAL, expr.right, false);
        else visit(expr.right);
        return;
      }
      case SyntaxKind.SwitchStatement: {
        const stmt = node as ts.SwitchStatement;
        visit(stmt.expression);
        within(s, CONDITIONAL, stmt.caseBlock, false);
        return;
      }
      case SyntaxKind.CatchClause: {
        const clause = node as ts.CatchClause;
        const names = new Map<string, ts.Expression | null>();
        if (clause.variableDeclaration) collectBindingNames(clause.variableDeclaration.name, names, null);
        within(names.size ? new LocalScope(names, s, sf) : s, CONDITIONAL, clause.block, false);
        return;
      }
      case SyntaxKind.Block:
      case SyntaxKind.CaseClause:
      case SyntaxKind.DefaultClause: {
        const inner = blockScope((node as ts.Block).statements);
        if (inner === s) forEachChild(node, visit);
        else within(inner, context, node, true);
        return;
      }
      default:
        forEachChild(node, visit);
    }
  }

  for (const statement of sf.statements) visit(statement);
  return sites;
}

const LOOP: RuntimeContext = { type: 'loop' };
const CONDITIONAL: RuntimeContext = { type: 'conditional' };
