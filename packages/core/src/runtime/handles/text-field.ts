import { InvalidOptionsError } from '../../errors/input-errors.js';

/** Longest free-text field (an abandon reason, a task error), in UTF-16 units. */
export const MAX_TEXT = 65_536;

/**
 * A free-text field such as an error message. Longer text is cut with an explicit marker saying how
 * much was cut (never silently): failing a task must not itself fail because its error is long.
 */
export function textField(value: unknown, path: string): string {
  const text = value instanceof Error ? `${value.name}: ${value.message}` : value;
  if (typeof text !== 'string') throw new InvalidOptionsError(`${path} must be a string or an Error`, { path });
  if (text.length <= MAX_TEXT) return wellFormed(text);
  const cut = wellFormed(text.slice(0, MAX_TEXT));
  return `${cut}… [${text.length - MAX_TEXT} more characters cut by stateproof]`;
}

// Lone surrogates cannot be stored as UTF-8; replace them the way String.prototype.toWellFormed does.
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
