import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstShCommand, stripComment } from '../readme-command.mjs';

describe('the README main job CI runs', () => {
  it("is the first command of README.md's first sh block, and it certifies", () => {
    const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
    const command = firstShCommand(readme);
    expect(command).toMatch(/^npm ci && npm run build && npm run certify$/);
  });

  it('skips other blocks, blank lines, prompts and comments', () => {
    const md = [
      '# x',
      '```ts',
      'const a = 1;',
      '```',
      '',
      '```sh',
      '',
      '# setup',
      '$ make all   # builds',
      'make test',
      '```',
    ].join('\n');
    expect(firstShCommand(md)).toBe('make all');
  });

  it('keeps a # inside quotes or a word', () => {
    expect(stripComment(`echo "a # b" 'c # d' e#f # comment`)).toBe(`echo "a # b" 'c # d' e#f `);
    expect(stripComment('# only a comment')).toBe('');
  });

  it('refuses a README without a sh block or with an empty one', () => {
    expect(() => firstShCommand('# readme\n```js\nx\n```\n')).toThrow('no fenced sh block');
    expect(() => firstShCommand('```sh\n# nothing\n```\n')).toThrow('holds no command');
  });
});
