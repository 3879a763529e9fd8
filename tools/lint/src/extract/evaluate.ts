import type * as ts from 'typescript';
import { typescript } from '../typescript.js';
import { nodeText, type SourceRef } from './node-text.js';
import { typeboxSchema } from './typebox-schema.js';
import {
  KindFunction,
  Namespace,
  SchemaBuilder,
  SurfaceValue,
  Unknown,
  UntranslatedBuilder,
  isStaticObject,
  type StaticObject,
  type StaticValue,
} from './static-value.js';

// typescript exports its members through getters; reading them once keeps the per-node walk cheap.
const SyntaxKind = typescript.SyntaxKind;
const {
  isComputedPropertyName,
  isIdentifier,
  isNumericLiteral,
  isOmittedExpression,
  isPrivateIdentifier,
  isPropertyAssignment,
  isShorthandPropertyAssignment,
  isSpreadAssignment,
  isSpreadElement,
  isStringLiteral,
  isStringLiteralLike,
} = typescript;

/** Resolves a name to its static value; undefined when the name is not declared in this scope or above. */
export interface Scope {
  lookup(name: string): StaticValue | undefined;
  /** True when `name` is declared in this scope or an enclosing one (shadowing an import). */
  declares(name: string): boolean;
  /** True when `name` is declared in a function or block scope (not at the top level). */
  declaresLocally?(name: string): boolean;
}

// Globals whose value is fixed.
const GLOBALS: Readonly<Record<string, StaticValue>> = {
  undefined: undefined,
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
};

function describe(node: ts.Node, sf: SourceRef): string {
  const text = nodeText(node, sf.text).replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function propertyName(name: ts.PropertyName, scope: Scope, sf: SourceRef): string | Unknown {
  if (isIdentifier(name) || isPrivateIdentifier(name)) return name.text;
  if (isStringLiteralLike(name) || isNumericLiteral(name)) return name.text;
  if (isComputedPropertyName(name)) {
    const v = evaluate(name.expression, scope, sf);
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    return v instanceof Unknown ? v : new Unknown(`computed key ${describe(name, sf)} is not a literal`);
  }
  return new Unknown('unsupported property name');
}

function define(target: StaticObject, key: string, value: StaticValue): void {
  // defineProperty: a key named __proto__ stays an own property.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function member(object: StaticValue, key: string, node: ts.Node, sf: SourceRef): StaticValue {
  if (object instanceof Unknown) return object;
  if (object instanceof Namespace) return object.member(key);
  if (object instanceof SurfaceValue && key === 'id') return object.id;
  if (isStaticObject(object)) return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
  if (Array.isArray(object)) {
    if (key === 'length') return object.length;
    return /^(0|[1-9][0-9]*)$/.test(key)
      ? object[Number(key)]
      : new Unknown(`${describe(node, sf)} is not a static array element`);
  }
  if (typeof object === 'string' && key === 'length') return object.length;
  return new Unknown(`${describe(node, sf)} is not a static member`);
}

function binary(op: ts.SyntaxKind, l: StaticValue, r: StaticValue, node: ts.Node, sf: SourceRef): StaticValue {
  if (l instanceof Unknown) return l;
  if (r instanceof Unknown) return r;
  const prim = (v: StaticValue) =>
    typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null;
  if (!prim(l) || !prim(r)) return new Unknown(`${describe(node, sf)} is not a constant expression`);
  const a = l as string | number | boolean | null;
  const b = r as string | number | boolean | null;
  switch (op) {
    case SyntaxKind.PlusToken:
      return typeof a === 'string' || typeof b === 'string' ? String(a) + String(b) : Number(a) + Number(b);
    case SyntaxKind.MinusToken:
      return Number(a) - Number(b);
    case SyntaxKind.AsteriskToken:
      return Number(a) * Number(b);
    case SyntaxKind.SlashToken:
      return Number(a) / Number(b);
    case SyntaxKind.PercentToken:
      return Number(a) % Number(b);
    case SyntaxKind.AsteriskAsteriskToken:
      return Number(a) ** Number(b);
    default:
      return new Unknown(`${describe(node, sf)} is not a constant expression`);
  }
}

/**
 * Evaluates an expression without running the program: literals, literal-valued consts (followed
 * through imports and re-exports by the scope), `as const` objects and arrays, member access,
 * concatenation, template literals without runtime parts, arithmetic, spreads of static objects,
 * the TypeBox builders, and definitions (a kind function call with a static id is its surface).
 * Anything else is an {@link Unknown} that says why.
 */
export function evaluate(node: ts.Expression, scope: Scope, sf: SourceRef): StaticValue {
  switch (node.kind) {
    case SyntaxKind.StringLiteral:
    case SyntaxKind.NoSubstitutionTemplateLiteral:
      return (node as ts.StringLiteralLike).text;
    case SyntaxKind.NumericLiteral:
      return Number((node as ts.NumericLiteral).text);
    case SyntaxKind.TrueKeyword:
      return true;
    case SyntaxKind.FalseKeyword:
      return false;
    case SyntaxKind.NullKeyword:
      return null;
    case SyntaxKind.Identifier: {
      const name = (node as ts.Identifier).text;
      const value = scope.lookup(name);
      if (value !== undefined || scope.declares(name)) return value;
      if (Object.prototype.hasOwnProperty.call(GLOBALS, name)) return GLOBALS[name];
      return new Unknown(`${name} is a global, not a constant`);
    }
    case SyntaxKind.ParenthesizedExpression:
    case SyntaxKind.AsExpression:
    case SyntaxKind.SatisfiesExpression:
    case SyntaxKind.NonNullExpression:
    case SyntaxKind.TypeAssertionExpression:
      return evaluate((node as ts.ParenthesizedExpression).expression, scope, sf);
    case SyntaxKind.TemplateExpression: {
      const t = node as ts.TemplateExpression;
      let out = t.head.text;
      for (const span of t.templateSpans) {
        const v = evaluate(span.expression, scope, sf);
        if (v instanceof Unknown) return v;
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
          return new Unknown(`\${${describe(span.expression, sf)}} is not a literal`);
        out += String(v) + span.literal.text;
      }
      return out;
    }
    case SyntaxKind.PrefixUnaryExpression: {
      const u = node as ts.PrefixUnaryExpression;
      const v = evaluate(u.operand, scope, sf);
      if (v instanceof Unknown) return v;
      if (typeof v !== 'number') return new Unknown(`${describe(node, sf)} is not a constant expression`);
      if (u.operator === SyntaxKind.MinusToken) return -v;
      if (u.operator === SyntaxKind.PlusToken) return v;
      return new Unknown(`${describe(node, sf)} is not a constant expression`);
    }
    case SyntaxKind.BinaryExpression: {
      const b = node as ts.BinaryExpression;
      return binary(b.operatorToken.kind, evaluate(b.left, scope, sf), evaluate(b.right, scope, sf), node, sf);
    }
    case SyntaxKind.PropertyAccessExpression: {
      const p = node as ts.PropertyAccessExpression;
      if (p.questionDotToken) return new Unknown(`${describe(node, sf)} uses optional chaining`);
      return member(evaluate(p.expression, scope, sf), p.name.text, node, sf);
    }
    case SyntaxKind.ElementAccessExpression: {
      const e = node as ts.ElementAccessExpression;
      const key = evaluate(e.argumentExpression, scope, sf);
      if (key instanceof Unknown) return key;
      if (typeof key !== 'string' && typeof key !== 'number')
        return new Unknown(`${describe(node, sf)} has a computed key`);
      return member(evaluate(e.expression, scope, sf), String(key), node, sf);
    }
    case SyntaxKind.ObjectLiteralExpression: {
      const out: StaticObject = {};
      for (const p of (node as ts.ObjectLiteralExpression).properties) {
        if (isPropertyAssignment(p)) {
          const key = propertyName(p.name, scope, sf);
          if (key instanceof Unknown) return key;
          define(out, key, evaluate(p.initializer, scope, sf));
        } else if (isShorthandPropertyAssignment(p)) {
          define(out, p.name.text, evaluate(p.name, scope, sf));
        } else if (isSpreadAssignment(p)) {
          const v = evaluate(p.expression, scope, sf);
          if (v instanceof Unknown) return v;
          if (!isStaticObject(v)) return new Unknown(`spread ${describe(p.expression, sf)} is not a static object`);
          for (const [k, x] of Object.entries(v)) define(out, k, x);
        } else {
          return new Unknown(`${describe(p, sf)} is a method or accessor`);
        }
      }
      return out;
    }
    case SyntaxKind.ArrayLiteralExpression: {
      const out: StaticValue[] = [];
      for (const el of (node as ts.ArrayLiteralExpression).elements) {
        if (isSpreadElement(el)) {
          const v = evaluate(el.expression, scope, sf);
          if (!Array.isArray(v))
            return v instanceof Unknown
              ? v
              : new Unknown(`spread ${describe(el.expression, sf)} is not a static array`);
          out.push(...v);
        } else if (isOmittedExpression(el)) {
          out.push(undefined);
        } else {
          out.push(evaluate(el, scope, sf));
        }
      }
      return out;
    }
    case SyntaxKind.CallExpression: {
      const c = node as ts.CallExpression;
      const callee = evaluate(c.expression, scope, sf);
      if (callee instanceof SchemaBuilder) {
        return typeboxSchema(
          callee.name,
          c.arguments.map((a) => (isSpreadElement(a) ? new Unknown('spread arguments') : evaluate(a, scope, sf))),
        );
      }
      if (callee instanceof KindFunction) {
        // A definition: its value is the surface, known by its id (the options are the definition's own business).
        const [idArg] = c.arguments;
        const id = idArg && !isSpreadElement(idArg) ? evaluate(idArg, scope, sf) : new Unknown('no id argument');
        if (typeof id === 'string') return new SurfaceValue(callee.kind, id);
        return id instanceof Unknown ? id : new Unknown(`the id of ${describe(c, sf)} is not a string`);
      }
      if (callee instanceof Unknown && (callee.external || callee instanceof UntranslatedBuilder)) return callee;
      return new Unknown(`calls ${describe(c.expression, sf)}()`);
    }
    default:
      return new Unknown(`${describe(node, sf)} is computed at run time`);
  }
}

/** Evaluates the members of an enum declaration into an object (numeric members auto-increment). */
export function evaluateEnum(decl: ts.EnumDeclaration, scope: Scope, sf: SourceRef): StaticObject {
  const out: StaticObject = {};
  let next: StaticValue = 0;
  for (const m of decl.members) {
    const key = isIdentifier(m.name) || isStringLiteral(m.name) ? m.name.text : undefined;
    if (key === undefined) continue;
    const value: StaticValue = m.initializer ? evaluate(m.initializer, scope, sf) : next;
    define(out, key, value);
    next = typeof value === 'number' ? value + 1 : new Unknown(`enum member after ${key} has no initializer`);
  }
  return out;
}
