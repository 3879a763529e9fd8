/**
 * The glob of dataspace filters and channel patterns, written independently of core: `*` any run
 * of code points, `?` exactly one, `\` makes the next one literal.
 */
export function globMatch(pattern: string, text: string): boolean {
  const p = Array.from(pattern);
  const t = Array.from(text);
  const tokens: Array<{ any: boolean; one: boolean; ch?: string }> = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === '\\') tokens.push({ any: false, one: false, ch: p[++i] as string });
    else if (c === '*') tokens.push({ any: true, one: false });
    else if (c === '?') tokens.push({ any: false, one: true });
    else tokens.push({ any: false, one: false, ch: c });
  }
  // reach[j] = the first j text code points can be matched by the tokens seen so far.
  let reach = t.map(() => false).concat(false);
  reach[0] = true;
  for (const tok of tokens) {
    const next = reach.map(() => false);
    for (let j = 0; j <= t.length; j++) {
      if (!reach[j]) continue;
      if (tok.any) for (let k = j; k <= t.length; k++) next[k] = true;
      else if (j < t.length && (tok.one || t[j] === tok.ch)) next[j + 1] = true;
    }
    reach = next;
  }
  return reach[t.length] === true;
}
