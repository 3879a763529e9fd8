import { ForbiddenPropertyError, NotIJsonError } from '../errors/json-errors.js';
import { pointerAppend } from './json-pointer.js';

/** A value that is valid I-JSON (RFC 7493). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Deepest nesting accepted; deeper values are rejected rather than risking a stack overflow. */
export const MAX_JSON_DEPTH = 512;

/** Options of {@link assertIJson}. */
export interface IJsonCheckOptions {
  /** Reject properties named `__proto__` (the codec does; fingerprinting does not need to). */
  readonly forbidProtoKeys?: boolean;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `text` holds a lone (unpaired) UTF-16 surrogate. */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint') return 'a BigInt';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'object' && value !== null) {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return name ? `an instance of ${name}` : 'an exotic object';
  }
  return typeof value;
}

/**
 * Checks that `value` is I-JSON: null, booleans, finite numbers, strings without lone surrogates,
 * dense arrays and plain objects, acyclic and at most {@link MAX_JSON_DEPTH} deep.
 * Throws {@link NotIJsonError} (or {@link ForbiddenPropertyError}) with the JSON Pointer of the first offence.
 */
export function assertIJson(value: unknown, options: IJsonCheckOptions = {}): asserts value is JsonValue {
  const seen = new Set<object>();
  const visit = (v: unknown, path: string, depth: number): void => {
    switch (typeof v) {
      case 'boolean':
        return;
      case 'string':
        if (hasLoneSurrogate(v)) throw new NotIJsonError(`string at ${path || '/'} holds a lone surrogate`, { path });
        return;
      case 'number':
        if (!Number.isFinite(v))
          throw new NotIJsonError(`number at ${path || '/'} is ${describe(v)}, not finite`, { path });
        return;
      case 'object': {
        if (v === null) return;
        if (depth >= MAX_JSON_DEPTH)
          throw new NotIJsonError(`value at ${path || '/'} is nested deeper than ${MAX_JSON_DEPTH}`, { path });
        if (seen.has(v)) throw new NotIJsonError(`value at ${path || '/'} is a cycle`, { path });
        if (Array.isArray(v)) {
          seen.add(v);
          for (let i = 0; i < v.length; i++) {
            if (!(i in v))
              throw new NotIJsonError(`array at ${path || '/'} has a hole at index ${i}`, {
                path: pointerAppend(path, i),
              });
            visit(v[i], pointerAppend(path, i), depth + 1);
          }
          seen.delete(v);
          return;
        }
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) {
          throw new NotIJsonError(`value at ${path || '/'} is ${describe(v)}, not a plain object`, { path });
        }
        if (Object.getOwnPropertySymbols(v).length > 0) {
          throw new NotIJsonError(`object at ${path || '/'} has symbol keys`, { path });
        }
        seen.add(v);
        for (const key of Object.keys(v)) {
          const child = pointerAppend(path, key);
          if (options.forbidProtoKeys && key === '__proto__') throw new ForbiddenPropertyError(child);
          if (hasLoneSurrogate(key))
            throw new NotIJsonError(`property name at ${child} holds a lone surrogate`, { path: child });
          visit((v as Record<string, unknown>)[key], child, depth + 1);
        }
        seen.delete(v);
        return;
      }
      default:
        throw new NotIJsonError(`value at ${path || '/'} is ${describe(v)}, which JSON cannot represent`, { path });
    }
  };
  visit(value, '', 0);
}
