import { closestName } from '@stateproof/conformance';
import type { ParsedArgs } from './parse-args.js';
import { UsageError } from './usage-error.js';

/** The single value of `--name`, or undefined when it was not given. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  return args.values.get(name)?.[0];
}

/** `--name N` as an integer within bounds; a malformed value is a UsageError naming the option. */
export function intOption(
  args: ParsedArgs,
  name: string,
  bounds: { min?: number; max?: number } = {},
): number | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const min = bounds.min ?? Number.MIN_SAFE_INTEGER;
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(
      `--${name} must be an integer${bounds.min !== undefined ? ` from ${min}` : ''}${bounds.max !== undefined ? ` to ${max}` : ''}, got "${raw}"`,
      `Write --${name} <integer>.`,
    );
  }
  return n;
}

/** Comma-separated and repeated values of `--name`, each one of `allowed`. */
export function listOption<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[]): T[] | undefined {
  const raw = args.values.get(name);
  if (raw === undefined) return undefined;
  const items = raw
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  const bad = items.filter((v) => !(allowed as readonly string[]).includes(v));
  if (bad.length > 0 || items.length === 0) {
    const suggestion = bad[0] === undefined ? undefined : closestName(bad[0], allowed);
    throw new UsageError(
      `--${name} takes ${allowed.join(', ')}${bad.length > 0 ? `; "${bad.join('", "')}" is not one` : ''}`,
      suggestion ? `Did you mean --${name} ${suggestion}?` : `Write --${name} ${allowed.slice(0, 2).join(',')}.`,
    );
  }
  return [...new Set(items)] as T[];
}
