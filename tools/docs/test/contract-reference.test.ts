import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listRequirements } from '@stateproof/spec';
import { anchorsOf, brokenLinks, contractPageOf, contractReference, requirementAnchor } from '@stateproof/docs';

const requirements = listRequirements();
const coverage = requirements.map((r, i) => ({
  id: r.id,
  properties: i % 5 === 0 ? [] : [`${r.kind}/model`],
  mutants: i % 3 === 0 ? [`mutant-${i}`] : [],
}));
const files = contractReference({ requirements, coverage, command: 'stateproof docs contract --out x' });
const dir = mkdtempSync(join(tmpdir(), 'stateproof-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('contract reference', () => {
  it('gives every requirement id exactly one anchor, on the page contractPageOf names', () => {
    for (const r of requirements) {
      const tag = `<a id="${requirementAnchor(r.id)}"></a>`;
      const pages = files.filter((f) => f.text.includes(tag)).map((f) => f.path);
      expect(pages, r.id).toEqual([contractPageOf(r.id, r.kind)]);
    }
    expect(contractPageOf('PRJ-001', 'record')).toBe('classes.md');
    expect(contractPageOf('REC-001', 'record')).toBe('record.md');
  });

  it('prints each requirement with its level, text, properties and mutants, and says when none covers it', () => {
    const uncovered = requirements[0]!;
    const page = files.find((f) => f.path === contractPageOf(uncovered.id, uncovered.kind))!.text;
    const section = page.slice(page.indexOf(`### ${uncovered.id}:`)).split('\n<a id=')[0]!;
    expect(section).toContain(`**${uncovered.level}**`);
    expect(section).toContain(uncovered.text);
    expect(section).toContain('**no property yet**');
    expect(section).toContain('`mutant-0`');
    const covered = requirements[1]!;
    const other = files.find((f) => f.path === contractPageOf(covered.id, covered.kind))!.text;
    expect(other.slice(other.indexOf(`### ${covered.id}:`)).split('\n<a id=')[0]).toContain(
      `\`${covered.kind}/model\``,
    );
  });

  it('has no relative link that does not resolve', () => {
    for (const f of files) writeFileSync(join(dir, f.path), f.text);
    expect(brokenLinks(files.map((f) => join(dir, f.path)))).toEqual([]);
  });

  it('refuses a stale index rather than print a requirement as unchecked', () => {
    expect(() => contractReference({ requirements, coverage: coverage.slice(1), command: 'x' })).toThrow(
      new RegExp(`no entry for ${requirements[0]!.id}`),
    );
  });

  it('is deterministic: the same input gives the same bytes', () => {
    const again = contractReference({ requirements, coverage, command: 'stateproof docs contract --out x' });
    expect(again).toEqual(files);
  });
});

describe('brokenLinks', () => {
  it('reports a missing file and a missing anchor, and ignores links in code and with a scheme', () => {
    const a = join(dir, 'a.md');
    writeFileSync(join(dir, 'b.md'), '# Title here\n\n<a id="x-1"></a>\n');
    writeFileSync(
      a,
      [
        '[ok](b.md#x-1) [heading](b.md#title-here) [self](#local) <a id="local"></a>',
        '[gone](c.md) [bad anchor](b.md#nope) [web](https://example.com/c.md) `[code](c.md)`',
        '```',
        '[fenced](c.md)',
        '```',
      ].join('\n'),
    );
    expect(brokenLinks([a]).map((b) => [b.line, b.target, b.problem])).toEqual([
      [2, 'c.md', 'no such file'],
      [2, 'b.md#nope', 'no such anchor'],
    ]);
    expect(anchorsOf('## Hello, world!\n')).toContain('hello-world');
  });
});
