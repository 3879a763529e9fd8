// The README's main job: the first command of its first fenced `sh` block. CI reads it from the
// README itself, so that the documented command and the checked one cannot drift apart.

/**
 * Returns the first command line of the first ```sh block of `markdown`, without its trailing
 * comment. Throws when there is no such block or it holds no command.
 * @param {string} markdown
 * @returns {string}
 */
export function firstShCommand(markdown) {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => /^\s*(```|~~~)\s*(sh|bash|shell|console)\s*$/.test(l));
  if (start < 0) throw new Error('README.md has no fenced sh block');
  const fence = lines[start].trim().slice(0, 3);
  for (let i = start + 1; i < lines.length && !lines[i].trim().startsWith(fence); i++) {
    const command = stripComment(lines[i].replace(/^\s*\$\s+/, '')).trim();
    if (command !== '') return command;
  }
  throw new Error(`README.md's first sh block (line ${start + 1}) holds no command`);
}

/**
 * Removes a shell comment: a `#` at the start or after whitespace, outside quotes.
 * @param {string} line
 * @returns {string}
 */
export function stripComment(line) {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}
