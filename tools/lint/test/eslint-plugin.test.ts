import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import plugin from '@stateproof/lint/eslint-plugin';

const linter = new Linter({ configType: 'flat' });
const config = [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, ...plugin.configs.recommended }];

function run(code: string): string[] {
  return linter
    .verify(code, config as never, { filename: 'src/state.ts' })
    .map((m) => `${m.line}:${m.column}-${m.endLine}:${m.endColumn} ${m.ruleId} ${m.message}`);
}

describe('the ESLint plugin', () => {
  it('reports dynamic ids, runtime definitions and duplicate ids within the file, with the CLI messages', () => {
    const code = [
      "import { Type } from '@sinclair/typebox';",
      "import * as sp from '@stateproof/core';",
      "import { record as r } from '@stateproof/core';",
      "const tenant = process.env['TENANT'];",
      "export const a = r(`cache.${tenant}`, { durability: 'shared-durable', value: Type.String() });",
      "export const b = sp.queue('jobs', { durability: 'shared-durable', payload: Type.String() });",
      "export const c = r('jobs', { durability: 'shared-durable', value: Type.String() });",
      'export function make() {',
      "  return r('made', { durability: 'restart-safe-local', value: Type.String() });",
      '}',
    ].join('\n');
    expect(run(code)).toEqual([
      '5:20-5:37 stateproof/dynamic-id the id of this record is not static: tenant is computed at run time (process is a global, not a constant); use a string literal or a literal-valued const. Write the id as a string literal or a const of literals.',
      '7:20-7:26 stateproof/duplicate-id surface id "jobs" is already defined at line 6. Give each surface its own id.',
      '9:10-9:79 stateproof/runtime-definition restart-safe-local record "made" is defined inside function make; only ephemeral surfaces may be defined at run time. Move the definition to module top level, or declare it ephemeral.',
    ]);
  });

  it('allows ephemeral runtime definitions and gives ids imported from other files the benefit of the doubt', () => {
    const code = [
      "import { record } from '@stateproof/core';",
      "import { IDS } from './ids.js';",
      "export const a = record(IDS.orders, { durability: 'shared-durable', value: {} });",
      "export function scratch(id: string) { return record(id, { durability: 'ephemeral', value: {} }); }",
    ].join('\n');
    expect(run(code)).toEqual([]);
  });

  it('exposes the single-file rules with docs links', () => {
    expect(Object.keys(plugin.rules)).toEqual(['dynamic-id', 'runtime-definition', 'duplicate-id']);
    expect(plugin.rules['dynamic-id'].meta.docs.url).toBe('https://stateproof.dev/docs/rules/dynamic-id.md');
    expect(plugin.meta.namespace).toBe('stateproof');
  });
});
