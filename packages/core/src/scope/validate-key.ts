import { hasLoneSurrogate } from '@stateproof/spec';
import { InvalidIdError, InvalidKeyError } from '../errors/input-errors.js';

/** Longest id or key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 512;

// C0 controls, DEL and C1 controls.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function problem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `must be a string, got ${value === null ? 'null' : typeof value}`;
  if (value.length === 0) return 'must not be empty';
  const control = CONTROL.exec(value);
  if (control)
    return `holds control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} at index ${control.index}`;
  if (hasLoneSurrogate(value)) return 'holds a lone surrogate (not a whole Unicode character)';
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_KEY_BYTES) return `is ${bytes} UTF-8 bytes; the limit is ${MAX_KEY_BYTES}`;
  return undefined;
}

/**
 * Checks a key, stream, topic, owner, worker or assertion id. `path` names the argument for the
 * error (for example `key` or `queues/2`). Throws InvalidKeyError.
 */
export function validateKey(value: unknown, path: string): asserts value is string {
  const p = problem(value);
  if (p) throw new InvalidKeyError(`${path} ${p}`, { path });
}

/** Checks a surface id. Throws InvalidIdError. */
export function validateSurfaceId(value: unknown): asserts value is string {
  const p = problem(value);
  if (p) throw new InvalidIdError(`surface id ${p}`, { path: 'id' });
}

/** Checks a key prefix or glob pattern: like a key, but may be empty. */
export function validatePrefix(value: unknown, path: string): asserts value is string {
  if (value === '') return;
  validateKey(value, path);
}
