import { InvalidOptionsError } from '../errors/input-errors.js';

/** Range of an integer option. */
export interface IntRange {
  /** The smallest value allowed. */
  readonly min?: number;
  /** The largest value allowed. */
  readonly max?: number;
}

function show(v: unknown): string {
  return typeof v === 'bigint' ? `${v}n` : (JSON.stringify(v) ?? String(v));
}

/** `value` as an integer in range, or undefined when absent; anything else is InvalidOptionsError at `path`. */
export function optionalInt(
  value: unknown,
  path: string,
  { min = 1, max = Number.MAX_SAFE_INTEGER }: IntRange = {},
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidOptionsError(`${path} must be an integer from ${min} to ${max}, got ${show(value)}`, { path });
  }
  return value;
}

/** `value` as a finite number in range, or undefined when absent. */
export function optionalNumber(value: unknown, path: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidOptionsError(`${path} must be a number from ${min} to ${max}, got ${show(value)}`, { path });
  }
  return value;
}

/** `value` as a boolean, or undefined when absent. */
export function optionalBoolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean')
    throw new InvalidOptionsError(`${path} must be true or false, got ${show(value)}`, { path });
  return value;
}

/** `value` as a plain object (or `{}` when absent), with no keys beyond `allowed`. */
export function optionObject(value: unknown, path: string, allowed: readonly string[]): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionsError(`${path || 'options'} must be an object`, { path });
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      const at = path ? `${path}.${key}` : key;
      throw new InvalidOptionsError(
        `${at} is not a known option; expected ${allowed.length ? allowed.join(', ') : 'none'}`,
        { path: at },
      );
    }
  }
  return value as Record<string, unknown>;
}
