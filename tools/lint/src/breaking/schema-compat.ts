import { canonicalize, stripAnnotations } from '@stateproof/spec';
import { UNKNOWN_SCHEMA_KEYWORD } from '../extract/definition-entry.js';

type Schema = Record<string, unknown>;

// Keywords the comparison understands; a change in any other keyword cannot be proven compatible.
const HANDLED = new Set([
  'type',
  'const',
  'enum',
  'anyOf',
  'properties',
  'required',
  'additionalProperties',
  'patternProperties',
  'items',
  'additionalItems',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minProperties',
  'maxProperties',
  'not',
]);

function normalise(schema: unknown): Schema {
  if (schema === true || schema === undefined) return {};
  if (schema === false) return { not: {} };
  return stripAnnotations(schema) as Schema;
}

const same = (a: unknown, b: unknown) =>
  a === b || (a !== undefined && b !== undefined && canonicalize(a) === canonicalize(b));
const isEmpty = (s: unknown) => typeof s === 'object' && s !== null && Object.keys(s).length === 0;
const show = (v: unknown) => JSON.stringify(v);

function typesOf(s: Schema): string[] | undefined {
  if (typeof s['type'] === 'string') return [s['type']];
  if (Array.isArray(s['type'])) return s['type'] as string[];
  return undefined;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeCovers(newTypes: readonly string[], t: string): boolean {
  return newTypes.includes(t) || (t === 'integer' && newTypes.includes('number'));
}

function valuesOf(s: Schema): unknown[] | undefined {
  if ('const' in s) return [s['const']];
  if (Array.isArray(s['enum'])) return s['enum'] as unknown[];
  return undefined;
}

function num(s: Schema, k: string): number | undefined {
  return typeof s[k] === 'number' ? (s[k] as number) : undefined;
}

/**
 * Why a value valid under `before` may be invalid under `after` (empty when every value `before`
 * accepts, `after` accepts too), with JSON Pointers into the schema. Works on the JSON Schema that
 * TypeBox builds; keywords it does not understand count as incompatible when they change.
 */
export function schemaIncompatibilities(before: unknown, after: unknown, path = ''): string[] {
  const out: string[] = [];
  accepts(normalise(before), normalise(after), path, out);
  return out;
}

function accepts(oldS: Schema, newS: Schema, path: string, out: string[]): void {
  const at = path || '/';
  if (same(oldS, newS) || isEmpty(newS)) return;
  if (UNKNOWN_SCHEMA_KEYWORD in oldS || UNKNOWN_SCHEMA_KEYWORD in newS) {
    out.push(`${at}: the schema is not statically known, so compatibility cannot be checked`);
    return;
  }
  if (isEmpty(oldS['not'])) return; // the old schema accepted nothing
  if (isEmpty(newS['not'])) {
    out.push(`${at}: now accepts no value`);
    return;
  }
  if (Array.isArray(oldS['anyOf'])) {
    const { anyOf, ...rest } = oldS;
    for (const [i, branch] of (anyOf as unknown[]).entries())
      accepts({ ...rest, ...normalise(branch) }, newS, `${path}/anyOf/${i}`, out);
    return;
  }
  if (Array.isArray(newS['anyOf'])) {
    const { anyOf, ...rest } = newS;
    const fits = (anyOf as unknown[]).some((branch) => {
      const probe: string[] = [];
      accepts(oldS, { ...rest, ...normalise(branch) }, path, probe);
      return probe.length === 0;
    });
    if (!fits) out.push(`${at}: no member of the new union accepts every value the old schema accepted`);
    return;
  }

  const oldValues = valuesOf(oldS);
  const newValues = valuesOf(newS);
  if (newValues) {
    if (!oldValues) out.push(`${at}: now only allows ${newValues.map(show).join(', ')}`);
    else
      for (const v of oldValues) if (!newValues.some((n) => same(n, v))) out.push(`${at}: no longer allows ${show(v)}`);
  }
  const newTypes = typesOf(newS);
  if (oldValues) {
    // Enumerated old values: check each against the new type; other constraints apply per value below only by type.
    if (newTypes)
      for (const v of oldValues)
        if (!typeCovers(newTypes, jsonType(v))) out.push(`${at}: ${show(v)} is not of type ${newTypes.join(' or ')}`);
    return;
  }
  const oldTypes = typesOf(oldS);
  if (newTypes) {
    if (!oldTypes) out.push(`${at}: now restricted to type ${newTypes.join(' or ')}`);
    else {
      const lost = oldTypes.filter((t) => !typeCovers(newTypes, t));
      if (lost.length > 0) out.push(`${at}: type changed from ${oldTypes.join(' or ')} to ${newTypes.join(' or ')}`);
    }
  }

  const tighter = (k: string, dir: 'min' | 'max', label: string) => {
    const o = num(oldS, k);
    const n = num(newS, k);
    if (n === undefined) return;
    if (o === undefined || (dir === 'min' ? n > o : n < o))
      out.push(`${at}: ${label} ${o === undefined ? 'added' : `tightened from ${o}`} to ${n}`);
  };
  tighter('minLength', 'min', 'minLength');
  tighter('maxLength', 'max', 'maxLength');
  tighter('minimum', 'min', 'minimum');
  tighter('maximum', 'max', 'maximum');
  tighter('exclusiveMinimum', 'min', 'exclusiveMinimum');
  tighter('exclusiveMaximum', 'max', 'exclusiveMaximum');
  tighter('minItems', 'min', 'minItems');
  tighter('maxItems', 'max', 'maxItems');
  tighter('minProperties', 'min', 'minProperties');
  tighter('maxProperties', 'max', 'maxProperties');
  for (const k of ['pattern', 'format', 'multipleOf']) {
    if (newS[k] !== undefined && !same(oldS[k], newS[k]))
      out.push(`${at}: ${k} ${oldS[k] === undefined ? 'added' : 'changed'} (${show(newS[k])})`);
  }
  if (newS['uniqueItems'] === true && oldS['uniqueItems'] !== true) out.push(`${at}: uniqueItems added`);

  // Arrays.
  if (newS['items'] !== undefined) {
    const oi = oldS['items'];
    const ni = newS['items'];
    if (Array.isArray(ni)) {
      if (!Array.isArray(oi)) out.push(`${at}: items became a tuple`);
      else ni.forEach((s, i) => accepts(normalise(oi[i]), normalise(s), `${path}/items/${i}`, out));
    } else accepts(normalise(Array.isArray(oi) ? { anyOf: oi } : oi), normalise(ni), `${path}/items`, out);
  }

  // Objects.
  const oldProps = (oldS['properties'] ?? {}) as Record<string, unknown>;
  const newProps = (newS['properties'] ?? {}) as Record<string, unknown>;
  const oldRequired = new Set((oldS['required'] ?? []) as string[]);
  for (const r of (newS['required'] ?? []) as string[]) {
    if (!oldRequired.has(r))
      out.push(`${path}/properties/${r}: is now required${r in oldProps ? '' : ' and stored values do not have it'}`);
  }
  for (const [name, schema] of Object.entries(newProps)) {
    if (name in oldProps) accepts(normalise(oldProps[name]), normalise(schema), `${path}/properties/${name}`, out);
  }
  const newAdditional = newS['additionalProperties'];
  if (newAdditional !== undefined && newAdditional !== true) {
    for (const name of Object.keys(oldProps)) {
      if (name in newProps) continue;
      if (newAdditional === false)
        out.push(`${path}/properties/${name}: was removed and additional properties are not allowed`);
      else accepts(normalise(oldProps[name]), normalise(newAdditional), `${path}/properties/${name}`, out);
    }
    const oldAdditional = oldS['additionalProperties'];
    if (newAdditional === false && oldAdditional !== false && oldS['patternProperties'] === undefined)
      out.push(`${at}: additional properties are no longer allowed`);
  }
  const oldPattern = (oldS['patternProperties'] ?? {}) as Record<string, unknown>;
  for (const [pattern, schema] of Object.entries((newS['patternProperties'] ?? {}) as Record<string, unknown>)) {
    if (pattern in oldPattern)
      accepts(normalise(oldPattern[pattern]), normalise(schema), `${path}/patternProperties/${pattern}`, out);
    else out.push(`${at}: patternProperties ${show(pattern)} added`);
  }

  for (const k of Object.keys(newS)) {
    if (!HANDLED.has(k) && !same(oldS[k], newS[k]))
      out.push(`${at}: keyword ${k} ${oldS[k] === undefined ? 'added' : 'changed'}; compatibility cannot be proven`);
  }
}
