import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SurfaceDefinitionDocument } from '@stateproof/spec';
import { describe, expect, it } from 'vitest';
import {
  breakingChanges,
  extractProject,
  lint,
  manifestDocument,
  manifestText,
  MANIFEST_FILE,
  schemaIncompatibilities,
  type InventorySurface,
} from '../src/index.js';
import { fixture, line } from './helpers.js';

describe('schema compatibility', () => {
  it.each([
    ['identical', { type: 'string' }, { type: 'string' }, []],
    ['prose only', { type: 'string', description: 'a' }, { type: 'string', description: 'b' }, []],
    ['anything to a type', {}, { type: 'string' }, ['/: now restricted to type string']],
    ['a type to anything', { type: 'string' }, {}, []],
    ['integer widened to number', { type: 'integer' }, { type: 'number' }, []],
    ['number narrowed to integer', { type: 'number' }, { type: 'integer' }, ['/: type changed from number to integer']],
    ['type changed', { type: 'number' }, { type: 'string' }, ['/: type changed from number to string']],
    [
      'maxLength tightened',
      { type: 'string', maxLength: 9 },
      { type: 'string', maxLength: 5 },
      ['/: maxLength tightened from 9 to 5'],
    ],
    ['maxLength loosened', { type: 'string', maxLength: 5 }, { type: 'string', maxLength: 9 }, []],
    ['minimum added', { type: 'number' }, { type: 'number', minimum: 0 }, ['/: minimum added to 0']],
    ['pattern added', { type: 'string' }, { type: 'string', pattern: '^a' }, ['/: pattern added ("^a")']],
    [
      'optional property added',
      { type: 'object', properties: { a: { type: 'string' } } },
      { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } } },
      [],
    ],
    [
      'required property added',
      { type: 'object', properties: {} },
      { type: 'object', required: ['b'], properties: { b: { type: 'number' } } },
      ['/properties/b: is now required and stored values do not have it'],
    ],
    [
      'optional made required',
      { type: 'object', properties: { a: { type: 'string' } } },
      { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
      ['/properties/a: is now required'],
    ],
    [
      'nested type change',
      { type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'string' } } } } },
      { type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'boolean' } } } } },
      ['/properties/a/properties/b: type changed from string to boolean'],
    ],
    [
      'property removed from a closed object',
      { type: 'object', properties: { a: {} }, additionalProperties: false },
      { type: 'object', properties: {}, additionalProperties: false },
      ['/properties/a: was removed and additional properties are not allowed'],
    ],
    [
      'object closed',
      { type: 'object', properties: {} },
      { type: 'object', properties: {}, additionalProperties: false },
      ['/: additional properties are no longer allowed'],
    ],
    [
      'union member added',
      { anyOf: [{ const: 'a', type: 'string' }] },
      {
        anyOf: [
          { const: 'a', type: 'string' },
          { const: 'b', type: 'string' },
        ],
      },
      [],
    ],
    [
      'union member removed',
      {
        anyOf: [
          { const: 'a', type: 'string' },
          { const: 'b', type: 'string' },
        ],
      },
      { anyOf: [{ const: 'a', type: 'string' }] },
      ['/anyOf/1: no member of the new union accepts every value the old schema accepted'],
    ],
    ['literal widened to its type', { const: 'a', type: 'string' }, { type: 'string' }, []],
    ['type narrowed to a literal', { type: 'string' }, { const: 'a', type: 'string' }, ['/: now only allows "a"']],
    [
      'array items narrowed',
      { type: 'array', items: { type: 'number' } },
      { type: 'array', items: { type: 'integer' } },
      ['/items: type changed from number to integer'],
    ],
    [
      'record values changed',
      { type: 'object', patternProperties: { '^(.*)$': { type: 'number' } } },
      { type: 'object', patternProperties: { '^(.*)$': { type: 'string' } } },
      ['/patternProperties/^(.*)$: type changed from number to string'],
    ],
    [
      'unknown keyword changed',
      { type: 'string', contentMediaType: 'a' },
      { type: 'string', contentMediaType: 'b' },
      ['/: keyword contentMediaType changed; compatibility cannot be proven'],
    ],
    [
      'statically unknown',
      { 'x-stateproof-unknown': 'calls f()' },
      { type: 'string' },
      ['/: the schema is not statically known, so compatibility cannot be checked'],
    ],
  ])('%s', (_label, before, after, expected) => {
    expect(schemaIncompatibilities(before, after)).toEqual(expected);
  });
});

const entry = (id: string, over: Partial<SurfaceDefinitionDocument> = {}): SurfaceDefinitionDocument => ({
  id,
  kind: 'record',
  class: 'shared-durable',
  scope: 'app',
  schemaVersion: 1,
  schemas: { value: { type: 'object', properties: { a: { type: 'string' } } } },
  bounds: { maxValueBytes: 1024 },
  options: {},
  ...over,
});
const head = (entries: SurfaceDefinitionDocument[]): InventorySurface[] =>
  entries.map((e, i) => ({ entry: e, at: () => ({ file: 'src/state.ts', line: i + 1 }) }));
const check = (
  base: SurfaceDefinitionDocument[],
  now: SurfaceDefinitionDocument[],
  level: 'strict' | 'data' | 'identity' = 'data',
) => breakingChanges(base, head(now), { level, baseLabel: 'main', removedAt: { file: MANIFEST_FILE } }).map(line);

describe('breaking changes', () => {
  it('reports a removed durable surface and ignores removed ephemeral and telemetry ones', () => {
    expect(
      check(
        [
          entry('a'),
          entry('tmp', { class: 'ephemeral' }),
          entry('t', { kind: 'log', class: 'telemetry', bounds: { maxValueBytes: 1, maxEntries: 5 } }),
        ],
        [],
      ),
    ).toEqual([
      'stateproof.manifest.json:-:- breaking-change durable record "a" (shared-durable) was removed; its stored data is orphaned (against main)',
    ]);
  });

  it("reports a rename when a new surface has the removed one's kind, class and schemas", () => {
    expect(check([entry('orders')], [entry('orders.v2')])).toEqual([
      'src/state.ts:1:- breaking-change durable record "orders" was renamed to "orders.v2"; its stored data stays under the old id (against main)',
    ]);
  });

  it('reports kind changes and class downgrades at every level, and not upgrades', () => {
    const base = [entry('a'), entry('b', { class: 'restart-safe-local' }), entry('c', { class: 'restart-safe-local' })];
    const now = [
      entry('a', { kind: 'log' }),
      entry('b', { class: 'ephemeral' }),
      entry('c', { class: 'shared-durable' }),
    ];
    const expected = [
      'src/state.ts:1:- breaking-change surface "a" changed kind from record to log (against main)',
      'src/state.ts:2:- breaking-change surface "b" was downgraded from restart-safe-local to ephemeral (against main)',
    ];
    expect(check(base, now, 'identity')).toEqual(expected);
    expect(check(base, now, 'strict')).toEqual(expected);
  });

  it('checks scope and schemas from the data level on, and forward compatibility only at strict', () => {
    const narrowed = entry('a', {
      scope: 'deployment',
      schemas: { value: { type: 'object', required: ['a'], properties: { a: { type: 'string' } } } },
    });
    expect(check([entry('a')], [narrowed], 'identity')).toEqual([]);
    expect(check([entry('a')], [narrowed], 'data')).toEqual([
      'src/state.ts:1:- breaking-change surface "a" changed scope from app to deployment; stored keys move and existing data becomes invisible (against main)',
      'src/state.ts:1:- breaking-change the value schema of "a" no longer accepts stored values: /properties/a: is now required (against main)',
    ]);
    const widened = entry('a', {
      schemas: { value: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false } },
    });
    const widenedBack = entry('a', {
      schemas: {
        value: {
          type: 'object',
          properties: { a: { type: 'string' }, b: { type: 'number' } },
          additionalProperties: false,
        },
      },
    });
    expect(check([widened], [widenedBack], 'data')).toEqual([]);
    expect(check([widened], [widenedBack], 'strict')).toEqual([
      'src/state.ts:1:- breaking-change older replicas cannot read new value values of "a": /properties/b: was removed and additional properties are not allowed (against main)',
    ]);
  });

  it('accepts an incompatible schema with a raised schemaVersion at the data level, not at strict', () => {
    const changed = entry('a', { schemaVersion: 2, schemas: { value: { type: 'string' } } });
    expect(check([entry('a')], [changed], 'data')).toEqual([]);
    expect(check([entry('a')], [changed], 'strict')[0]).toBe(
      'src/state.ts:1:- breaking-change the value schema of "a" no longer accepts stored values (schemaVersion was raised to 2, so stored values of version 1 will be rejected): /: type changed from object to string (against main)',
    );
    expect(check([entry('a', { schemaVersion: 2 })], [entry('a')], 'data')).toEqual([
      'src/state.ts:1:- breaking-change surface "a" lowered schemaVersion from 2 to 1; values written under 2 will be rejected (against main)',
    ]);
  });
});

describe('--base', () => {
  function repo(): string {
    const dir = mkdtempSync(join(tmpdir(), 'stateproof-base-'));
    cpSync(fixture('basic'), dir, { recursive: true });
    writeFileSync(join(dir, MANIFEST_FILE), manifestText(manifestDocument(extractProject({ cwd: dir }).surfaces)));
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        cwd: dir,
        stdio: 'pipe',
      });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    return dir;
  }

  it('reads the base manifest from a git ref and reports a removed surface and a changed schema', () => {
    const dir = repo();
    const jobs = join(dir, 'src/state/jobs.ts');
    writeFileSync(
      jobs,
      readFileSync(jobs, 'utf8')
        .replace(
          "export const charges = defineClaim('effects.charge-card', {",
          "export const charges = defineClaim('effects.charge-card-v2', {\n  schemaVersion: 1,",
        )
        .replace(
          'payload: Type.Object({ orderId: Type.String() })',
          'payload: Type.Object({ orderId: Type.Integer() })',
        ),
    );
    const result = lint({ cwd: dir, base: 'main' });
    expect(result.diagnostics.filter((d) => d.rule === 'breaking-change').map(line)).toEqual([
      'src/state/jobs.ts:7:21 breaking-change the payload schema of "jobs.default" no longer accepts stored values: /properties/orderId: type changed from string to integer (against main:stateproof.manifest.json)',
      'src/state/jobs.ts:15:24 breaking-change durable claim "effects.charge-card" was renamed to "effects.charge-card-v2"; its stored data stays under the old id (against main:stateproof.manifest.json)',
    ]);
    expect(result.exitCode).toBe(1);
  });

  it('reads the base from a file, and says when the ref does not exist', () => {
    const dir = repo();
    writeFileSync(join(dir, 'base.json'), readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
    expect(lint({ cwd: dir, base: 'base.json' }).diagnostics).toEqual([]);
    const missing = lint({ cwd: dir, base: 'no-such-branch' });
    expect(missing.diagnostics.map(line)).toEqual([
      "-:-:- project-error --base no-such-branch is neither a file nor a git ref that has stateproof.manifest.json: fatal: invalid object name 'no-such-branch'.",
    ]);
    expect(missing.exitCode).toBe(2);
  });
});
