import type { SurfaceKind } from '@stateproof/spec';

/**
 * A value the linter could not compute without running the program. `external` marks values that
 * come from a module outside the analysed files: the single-file (ESLint) rules give those the
 * benefit of the doubt, the whole-project linter does not.
 */
export class Unknown {
  /** An unknown value and why. */
  constructor(
    /** Why the value is not static, for diagnostics ("calls getTenant()"). */
    readonly reason: string,
    /** True when the value is imported from a module the linter did not read. */
    readonly external = false,
    /** The first cause, when this unknown is seen through consts. */
    readonly root?: string,
  ) {}

  /** This unknown seen through a const: `name is computed at run time (<first cause>)`. */
  through(name: string): Unknown {
    const root = this.root ?? this.reason;
    return new Unknown(`${name} is computed at run time (${root})`, this.external, root);
  }
}

/** One of the kind functions of @stateproof/core (`record`, `log`, …). */
export class KindFunction {
  /** The kind function of `kind`. */
  constructor(
    /** The kind it defines. */
    readonly kind: SurfaceKind,
  ) {}
}

/**
 * The surface a kind function call with a static id defines (`const ordersLog = log('orders', …)`):
 * what a name bound to that call evaluates to, so that an option naming a surface by reference
 * (`source: ordersLog`) is followed to its definition and recorded by id, as the runtime records it.
 */
export class SurfaceValue {
  /** The surface of `kind` with id `id`. */
  constructor(
    /** Its kind. */
    readonly kind: SurfaceKind,
    /** Its static id. */
    readonly id: string,
  ) {}
}

/** A namespace-like value whose members are resolved lazily (a module namespace, `Type`). */
export class Namespace {
  /** A namespace whose members `member` resolves. */
  constructor(
    /** What it is, for messages. */
    readonly label: string,
    /** Resolves one member. */
    readonly member: (name: string) => StaticValue,
  ) {}
}

/** A TypeBox builder function (`Type.Object`, or `Object` imported from @sinclair/typebox). */
export class SchemaBuilder {
  /** The builder `name`. */
  constructor(
    /** The builder's name, e.g. `Object`. */
    readonly name: string,
  ) {}
}

/** A plain JSON-like value the linter computed. */
export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

/** Anything the evaluator can produce. Objects and arrays may hold Unknown members. */
export type StaticValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | StaticValue[]
  | StaticObject
  | Unknown
  | KindFunction
  | SurfaceValue
  | Namespace
  | SchemaBuilder;

/** An object literal the evaluator computed; members may be unknown. */
export interface StaticObject {
  [key: string]: StaticValue;
}

/** True for an evaluated object literal (not an array, not a marker class). */
export function isStaticObject(value: StaticValue): value is StaticObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

/** The first Unknown inside `value` (deeply), if any. */
export function firstUnknown(value: StaticValue): Unknown | undefined {
  if (value instanceof Unknown) return value;
  if (Array.isArray(value)) {
    for (const v of value) {
      const u = firstUnknown(v);
      if (u) return u;
    }
  } else if (isStaticObject(value)) {
    for (const v of Object.values(value)) {
      const u = firstUnknown(v);
      if (u) return u;
    }
  }
  return undefined;
}

// Values known to be plain already (translated schemas), so that nesting them costs no second walk.
const plainValues = new WeakSet<object>();

/** Marks a computed value as plain JSON data; {@link toPlain} then returns it as it is. */
export function markPlain<T extends object>(value: T): T {
  plainValues.add(value);
  return value;
}

/** `value` as plain JSON data, or an Unknown saying what part is not (functions and namespaces are not data). */
export function toPlain(value: StaticValue): PlainValue | Unknown {
  if (value instanceof Unknown) return value;
  if (typeof value === 'object' && value !== null && plainValues.has(value)) return value as PlainValue;
  if (value === undefined) return new Unknown('is undefined');
  if (value instanceof KindFunction || value instanceof Namespace || value instanceof SchemaBuilder)
    return new Unknown('is a function, not data');
  if (value instanceof SurfaceValue) return new Unknown(`is the ${value.kind} "${value.id}", not data`);
  if (Array.isArray(value)) {
    const out: PlainValue[] = [];
    for (const v of value) {
      const p = toPlain(v);
      if (p instanceof Unknown) return p;
      out.push(p);
    }
    return out;
  }
  if (isStaticObject(value)) {
    const out: { [key: string]: PlainValue } = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue; // like JSON.stringify
      const p = toPlain(v);
      if (p instanceof Unknown) return p;
      Object.defineProperty(out, k, { value: p, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** A TypeBox builder the linter does not translate; calling it gives this reason rather than "calls …". */
export class UntranslatedBuilder extends Unknown {}
