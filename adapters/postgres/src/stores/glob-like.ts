/**
 * Translates a stateproof glob (`*` any run, `?` one character, `\` escapes) into a Postgres LIKE
 * pattern with the default escape `\`: `*` → `%`, `?` → `_`, and LIKE's own `%`, `_` and `\`
 * escaped, so that every other character is literal. Used to narrow a query; the exact glob
 * matcher of core decides (the pattern was validated by core before it got here).
 */
export function globToLike(pattern: string): string {
  let out = '';
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === '\\') {
      const next = chars[++i];
      if (next !== undefined) out += /[%_\\]/.test(next) ? `\\${next}` : next;
    } else if (c === '*') out += '%';
    else if (c === '?') out += '_';
    else out += /[%_]/.test(c) ? `\\${c}` : c;
  }
  return out;
}
