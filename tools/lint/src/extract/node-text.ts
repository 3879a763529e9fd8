import type * as ts from 'typescript';

/** What evaluation needs of a file: its text (for messages that quote the code). */
export interface SourceRef {
  readonly text: string;
}

/**
 * Where a node's first token starts: its `pos` includes leading whitespace and comments. Works
 * without the SourceFile, so that the linter can drop parse trees it no longer walks.
 */
export function nodeStart(node: ts.Node, text: string): number {
  let i = node.pos;
  const end = node.end;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c || c === 0xa0 || c === 0xfeff)
      i++;
    else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      while (i < end && text.charCodeAt(i) !== 0x0a) i++;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? end : close + 2;
    } else break;
  }
  return i;
}

/** The source text of a node, without its leading trivia. */
export function nodeText(node: ts.Node, text: string): string {
  return text.slice(nodeStart(node, text), node.end);
}
