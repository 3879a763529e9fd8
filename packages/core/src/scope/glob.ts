import { InvalidOptionsError } from '../errors/input-errors.js';

/**
 * Compiles a glob used by dataspace filters and channel patterns: `*` matches any run of characters
 * (also none), `?` exactly one character (a whole code point), `\` makes the next character literal.
 * Everything else is literal. A trailing lone `\` is an error.
 */
export function compileGlob(pattern: string, path = 'pattern'): (text: string) => boolean {
  let source = '^';
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === '\\') {
      const next = chars[++i];
      if (next === undefined)
        throw new InvalidOptionsError(`${path} ends with a lone backslash`, {
          path,
          hint: 'Escape a literal backslash as \\\\.',
        });
      source += escapeRegExp(next);
    } else if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else source += escapeRegExp(c);
  }
  const re = new RegExp(source + '$', 'u');
  return (text) => re.test(text);
}

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** Escapes a literal string so that {@link compileGlob} matches exactly it. */
export function escapeGlob(literal: string): string {
  return literal.replace(/[\\*?]/g, (c) => `\\${c}`);
}
