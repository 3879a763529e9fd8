/**
 * The text of one table cell: a pipe would end the cell, a newline the row and a `<` may open
 * HTML, so all three are escaped; an empty cell shows a dash so that a reader sees it was left empty on purpose.
 */
export function cell(text: string | number | undefined): string {
  if (text === undefined || text === '') return '—';
  return String(text).replace(/\\/g, '\\\\').replace(/</g, '&lt;').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** A GitHub-flavoured Markdown table. Cells are escaped with `cell`, unless marked raw (links, code the caller built). */
export function table(
  head: readonly string[],
  rows: readonly (readonly (string | number | undefined | Raw)[])[],
): string {
  const line = (cells: readonly (string | number | undefined | Raw)[]) =>
    `| ${cells.map((c) => (isRaw(c) ? c.raw.replace(/\r?\n/g, ' ') : cell(c))).join(' | ')} |`;
  return [line(head), `|${head.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/** Markdown that goes into a cell as written (already safe: a link, inline code). */
export interface Raw {
  /** The Markdown, placed in the cell as it is (line breaks become spaces). */
  readonly raw: string;
}

/** Marks Markdown the caller built as safe to place in a cell unescaped. */
export function raw(markdown: string): Raw {
  return { raw: markdown };
}

function isRaw(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && 'raw' in value;
}

/** Inline code that survives backticks in the text (CommonMark: a longer fence). */
export function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/**
 * Link text that stays text: brackets, pipes, angle brackets and backslashes escaped, so a surface id
 * or adapter name cannot close the link or the table cell it sits in.
 */
export function linkText(text: string): string {
  return text.replace(/[\\[\]|<>*_`]/g, (c) => `\\${c}`);
}

/** A link destination that survives spaces and parentheses in a path: `<` `>`-wrapped and URI-encoded. */
export function linkTarget(target: string): string {
  const [path = '', anchor] = target.split('#');
  return `<${encodeURI(path)}${anchor === undefined ? '' : `#${anchor}`}>`;
}
