/**
 * Key ranges for literal prefixes, so that backends can select "keys starting with p" with index
 * range comparisons (`key >= p AND key < upper`) instead of LIKE or GLOB patterns, which would give
 * `%`, `_`, `*`, `?` and `[` a meaning. The order is the contract's: UTF-8 bytes, which is Unicode
 * code point order (see {@link compareKeys}).
 */

/**
 * The smallest string greater, in code point order, than every string that starts with `prefix`:
 * the prefix with its last code point incremented (dropping trailing U+10FFFF, skipping the surrogate
 * block). Undefined when no such bound exists (the empty prefix, or only U+10FFFF), meaning "no upper bound".
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = Array.from(prefix, (c) => c.codePointAt(0) as number);
  while (points.length > 0) {
    const last = points.pop() as number;
    if (last === 0x10ffff) continue;
    // U+D800..U+DFFF are not characters; the next code point after U+D7FF is U+E000.
    points.push(last === 0xd7ff ? 0xe000 : last + 1);
    return String.fromCodePoint(...points);
  }
  return undefined;
}

/**
 * The literal text a glob pattern's matches must start with: everything before the first unescaped
 * `*` or `?`, with escapes removed. A backend narrows a glob filter to this prefix's range and then
 * applies the glob itself.
 */
export function globLiteralPrefix(pattern: string): string {
  let out = '';
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === '*' || c === '?') break;
    if (c === '\\') {
      const next = chars[++i];
      if (next === undefined) break;
      out += next;
    } else out += c;
  }
  return out;
}
