import { assertIJson } from './ijson.js';

/**
 * Serialises `value` as RFC 8785 (JSON Canonicalization Scheme) text: I-JSON only, object members
 * sorted by UTF-16 code units, ECMAScript number formatting (so -0 becomes 0), no whitespace.
 * Throws NotIJsonError with the JSON Pointer of the first value that is not I-JSON.
 */
export function canonicalize(value: unknown): string {
  assertIJson(value);
  return write(value);
}

function write(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    // JSON.stringify implements exactly the RFC 8785 rules for primitives (ES2019 well-formed strings).
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + write(value[i]);
    return out + ']';
  }
  // Default sort compares UTF-16 code units, which is what RFC 8785 section 3.2.3 prescribes.
  const keys = Object.keys(value).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    out += (i === 0 ? '' : ',') + JSON.stringify(key) + ':' + write((value as Record<string, unknown>)[key]);
  }
  return out + '}';
}
