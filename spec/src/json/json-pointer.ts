/** Appends one reference token to a JSON Pointer (RFC 6901), escaping `~` and `/`. */
export function pointerAppend(pointer: string, token: string | number): string {
  const text = typeof token === 'number' ? String(token) : token.replaceAll('~', '~0').replaceAll('/', '~1');
  return `${pointer}/${text}`;
}

/** Splits a JSON Pointer into its unescaped reference tokens. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}
