import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINT_VERSION, RULE_NAMES, RULES } from '../src/index.js';

const docs = resolve(import.meta.dirname, '../../../docs/rules');

describe('the rule catalogue', () => {
  it('has one doc page per rule, each with a failing and a passing example, and no page without a rule', () => {
    expect(
      readdirSync(docs)
        .filter((f) => f.endsWith('.md'))
        .map((f) => f.slice(0, -3))
        .sort(),
    ).toEqual([...RULE_NAMES].sort());
    for (const name of RULE_NAMES) {
      const text = readFileSync(resolve(docs, `${name}.md`), 'utf8');
      expect(text.startsWith(`# ${name}\n`), name).toBe(true);
      expect(text, name).toContain('## Failing example');
      expect(text, name).toContain('## Passing example');
      expect(text, name).toContain(`**Severity:** ${RULES[name].severity}`);
    }
  });

  it('names rules in kebab case and keeps the version in step with package.json', () => {
    for (const name of RULE_NAMES) expect(name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(LINT_VERSION).toBe(
      JSON.parse(readFileSync(resolve(import.meta.dirname, '../package.json'), 'utf8')).version,
    );
  });
});
