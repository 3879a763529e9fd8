import { Unknown, isStaticObject, markPlain, toPlain, type PlainValue, type StaticValue } from './static-value.js';

/** Schemas wrapped in Type.Optional: Type.Object leaves them out of `required`, as TypeBox does. */
const optionalSchemas = new WeakSet<object>();

type Schema = { [key: string]: PlainValue };

function asSchema(value: StaticValue, what: string): Schema | Unknown {
  if (value instanceof Unknown) return value;
  const plain = toPlain(value);
  if (plain instanceof Unknown) return new Unknown(`${what} ${plain.reason}`, plain.external);
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain))
    return new Unknown(`${what} is not a schema`);
  return plain;
}

function asOptions(value: StaticValue | undefined, what: string): Schema | Unknown {
  if (value === undefined) return {};
  return asSchema(value, `the options of ${what}`);
}

function withOptional(schema: Schema, optional: boolean): Schema {
  if (optional) optionalSchemas.add(schema);
  return schema;
}

function objectSchema(properties: StaticValue, options: StaticValue | undefined): Schema | Unknown {
  if (!isStaticObject(properties))
    return properties instanceof Unknown
      ? properties
      : new Unknown('Type.Object needs an object literal of properties');
  const opts = asOptions(options, 'Type.Object');
  if (opts instanceof Unknown) return opts;
  const props: Schema = {};
  const required: string[] = [];
  for (const [name, value] of Object.entries(properties)) {
    const s = asSchema(value, `property ${JSON.stringify(name)}`);
    if (s instanceof Unknown) return s;
    if (!optionalSchemas.has(value as object)) required.push(name);
    Object.defineProperty(props, name, { value: s, enumerable: true, writable: true, configurable: true });
  }
  return { ...opts, type: 'object', ...(required.length > 0 ? { required } : {}), properties: props };
}

function literalSchema(value: StaticValue, options: StaticValue | undefined): Schema | Unknown {
  const opts = asOptions(options, 'Type.Literal');
  if (opts instanceof Unknown) return opts;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return { ...opts, const: value, type: typeof value };
  return value instanceof Unknown ? value : new Unknown('Type.Literal needs a string, number or boolean');
}

function unionSchema(members: StaticValue, options: StaticValue | undefined): Schema | Unknown {
  if (!Array.isArray(members))
    return members instanceof Unknown ? members : new Unknown('Type.Union needs an array literal');
  const opts = asOptions(options, 'Type.Union');
  if (opts instanceof Unknown) return opts;
  const schemas: Schema[] = [];
  for (const m of members) {
    const s = asSchema(m, 'a union member');
    if (s instanceof Unknown) return s;
    schemas.push(s);
  }
  // TypeBox folds the degenerate unions: none is Never, one is that member.
  if (schemas.length === 0) return { ...opts, not: {} };
  if (schemas.length === 1) return schemas[0] as Schema;
  return { ...opts, anyOf: schemas };
}

function recordSchema(key: StaticValue, value: StaticValue, options: StaticValue | undefined): Schema | Unknown {
  const k = asSchema(key, 'the key of Type.Record');
  if (k instanceof Unknown) return k;
  if (k['type'] !== 'string' || Object.keys(k).length !== 1)
    return new Unknown('Type.Record is only translated with a Type.String() key');
  const v = asSchema(value, 'the value of Type.Record');
  if (v instanceof Unknown) return v;
  const opts = asOptions(options, 'Type.Record');
  if (opts instanceof Unknown) return opts;
  return { ...opts, type: 'object', patternProperties: { '^(.*)$': v } };
}

function tupleSchema(items: StaticValue, options: StaticValue | undefined): Schema | Unknown {
  if (!Array.isArray(items)) return items instanceof Unknown ? items : new Unknown('Type.Tuple needs an array literal');
  const opts = asOptions(options, 'Type.Tuple');
  if (opts instanceof Unknown) return opts;
  const schemas: Schema[] = [];
  for (const m of items) {
    const s = asSchema(m, 'a tuple member');
    if (s instanceof Unknown) return s;
    schemas.push(s);
  }
  const n = schemas.length;
  return n > 0
    ? { ...opts, type: 'array', items: schemas, additionalItems: false, minItems: n, maxItems: n }
    : { ...opts, type: 'array', minItems: 0, maxItems: 0 };
}

function requiredOf(schema: Schema, all: boolean): Schema | Unknown {
  if (schema['type'] !== 'object' || !isStaticObject(schema['properties'] as StaticValue))
    return new Unknown('Type.Partial and Type.Required are only translated for Type.Object');
  const { required: _required, ...rest } = schema;
  const names = Object.keys(schema['properties'] as object);
  return all ? { ...rest, required: names, properties: rest['properties'] as Schema } : rest;
}

/**
 * The JSON Schema TypeBox builds for `Type.<name>(...args)`, computed without running TypeBox, for
 * the builders whose output is fixed by their arguments. Others give an Unknown, and the manifest
 * records the schema as not statically known. tools/lint/test checks the output against TypeBox.
 */
export function typeboxSchema(name: string, args: readonly StaticValue[]): StaticValue {
  const schema = translate(name, args);
  return schema instanceof Unknown ? schema : (markPlain(schema as object) as StaticValue);
}

function translate(name: string, args: readonly StaticValue[]): StaticValue {
  const [a, b, c] = args;
  const simple = (type: string) => {
    const opts = asOptions(a, `Type.${name}`);
    return opts instanceof Unknown ? opts : { ...opts, type };
  };
  switch (name) {
    case 'String':
      return simple('string');
    case 'Number':
      return simple('number');
    case 'Integer':
      return simple('integer');
    case 'Boolean':
      return simple('boolean');
    case 'Null':
      return simple('null');
    case 'Unknown':
    case 'Any': {
      const opts = asOptions(a, `Type.${name}`);
      return opts;
    }
    case 'Never': {
      const opts = asOptions(a, 'Type.Never');
      return opts instanceof Unknown ? opts : { ...opts, not: {} };
    }
    case 'Literal':
      return literalSchema(a, b);
    case 'Object':
      return objectSchema(a, b);
    case 'Union':
      return unionSchema(a, b);
    case 'Array': {
      const items = asSchema(a, 'the items of Type.Array');
      if (items instanceof Unknown) return items;
      const opts = asOptions(b, 'Type.Array');
      return opts instanceof Unknown ? opts : { ...opts, type: 'array', items };
    }
    case 'Record':
      return recordSchema(a, b, c);
    case 'Tuple':
      return tupleSchema(a, b);
    case 'Optional':
    case 'ReadonlyOptional':
    case 'Readonly': {
      const s = asSchema(a, `the argument of Type.${name}`);
      if (s instanceof Unknown) return s;
      // TypeBox marks the same schema object; a copy keeps the argument unmarked.
      return withOptional({ ...s }, name !== 'Readonly' || optionalSchemas.has(a as object));
    }
    case 'Partial':
    case 'Required': {
      const s = asSchema(a, `the argument of Type.${name}`);
      return s instanceof Unknown ? s : requiredOf(s, name === 'Required');
    }
    default:
      return new Unknown(`Type.${name} is not translated statically`);
  }
}
