import { Type } from '@sinclair/typebox';
import { buildManifest, defaultRegistry } from '@stateproof/core';
import { describe, expect, it } from 'vitest';
import { extractFromSources, extractProject, type LintDiagnostic } from '../src/index.js';
import { fixture, line } from './helpers.js';

/** Extracts in-memory files under /virtual. */
function extract(files: Record<string, string>) {
  const sources = Object.entries(files).map(([name, text]) => ({ path: `/virtual/${name}`, text }));
  return extractFromSources(sources, { cwd: '/virtual', root: '/virtual' });
}

const ids = (files: Record<string, string>) => extract(files).surfaces.map((s) => s.id);
const problems = (files: Record<string, string>): string[] =>
  extract(files).diagnostics.map((d: LintDiagnostic) => line(d));

describe('extraction matches the runtime', () => {
  it('builds, without running the code, the manifest that the definitions build when the modules load', async () => {
    const extracted = extractProject({ cwd: fixture('basic') });
    await import('./fixtures/basic/src/state/orders.js');
    await import('./fixtures/basic/src/state/jobs.js');
    const runtime = buildManifest(defaultRegistry().list(), { withoutLocations: true });
    const linted = buildManifest(extracted.surfaces, { withoutLocations: true });
    expect(linted.surfaces).toEqual(runtime.surfaces);
    expect(linted.fingerprint).toBe(runtime.fingerprint);
  });

  // Each TypeBox expression is written twice: as source for the linter and as code for TypeBox.
  it.each([
    [
      'Type.String({ minLength: 1, maxLength: 9, pattern: "^a" })',
      Type.String({ minLength: 1, maxLength: 9, pattern: '^a' }),
    ],
    ['Type.Number({ minimum: 0 })', Type.Number({ minimum: 0 })],
    ['Type.Integer()', Type.Integer()],
    ['Type.Boolean()', Type.Boolean()],
    ['Type.Null()', Type.Null()],
    ['Type.Unknown()', Type.Unknown()],
    ['Type.Any()', Type.Any()],
    ['Type.Never()', Type.Never()],
    ['Type.Literal("a")', Type.Literal('a')],
    ['Type.Literal(3)', Type.Literal(3)],
    ['Type.Literal(false)', Type.Literal(false)],
    ['Type.Union([Type.Literal("a"), Type.Literal("b")])', Type.Union([Type.Literal('a'), Type.Literal('b')])],
    ['Type.Union([Type.String()])', Type.Union([Type.String()])],
    ['Type.Union([])', Type.Union([])],
    [
      'Type.Array(Type.String(), { maxItems: 3, uniqueItems: true })',
      Type.Array(Type.String(), { maxItems: 3, uniqueItems: true }),
    ],
    ['Type.Record(Type.String(), Type.Number())', Type.Record(Type.String(), Type.Number())],
    ['Type.Tuple([Type.String(), Type.Number()])', Type.Tuple([Type.String(), Type.Number()])],
    ['Type.Tuple([])', Type.Tuple([])],
    ['Type.Object({})', Type.Object({})],
    [
      'Type.Object({ a: Type.String(), b: Type.Optional(Type.Number()), c: Type.Readonly(Type.Integer()), d: Type.ReadonlyOptional(Type.Boolean()), e: Type.Readonly(Type.Optional(Type.Null())) }, { additionalProperties: false, description: "x" })',
      Type.Object(
        {
          a: Type.String(),
          b: Type.Optional(Type.Number()),
          c: Type.Readonly(Type.Integer()),
          d: Type.ReadonlyOptional(Type.Boolean()),
          e: Type.Readonly(Type.Optional(Type.Null())),
        },
        { additionalProperties: false, description: 'x' },
      ),
    ],
    [
      'Type.Partial(Type.Object({ a: Type.String(), b: Type.Number() }))',
      Type.Partial(Type.Object({ a: Type.String(), b: Type.Number() })),
    ],
    [
      'Type.Required(Type.Object({ a: Type.Optional(Type.String()) }))',
      Type.Required(Type.Object({ a: Type.Optional(Type.String()) })),
    ],
    [
      'Type.Object({ nested: Type.Object({ list: Type.Array(Type.Union([Type.String(), Type.Null()])) }) })',
      Type.Object({ nested: Type.Object({ list: Type.Array(Type.Union([Type.String(), Type.Null()])) }) }),
    ],
  ])('translates %s as TypeBox builds it', (source, built) => {
    const result = extract({
      'a.ts': `import { Type } from '@sinclair/typebox';\nimport { record } from '@stateproof/core';\nexport const s = record('s', { durability: 'ephemeral', value: ${source} });\n`,
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.surfaces[0]?.schemas.value).toEqual(JSON.parse(JSON.stringify(built)));
  });

  it('marks builders it does not translate as unknown', () => {
    const result = extract({
      'a.ts':
        "import { Type } from '@sinclair/typebox';\nimport { record } from '@stateproof/core';\nexport const s = record('s', { durability: 'ephemeral', value: Type.Date() });\n",
    });
    expect(result.surfaces[0]?.schemas.value).toEqual({
      'x-stateproof-unknown': 'Type.Date is not translated statically',
    });
    expect(result.diagnostics.map(line)).toEqual([
      'a.ts:3:57 unknown-schema the value schema of record "s" is not statically known (Type.Date is not translated statically); the manifest marks it unknown',
    ]);
  });
});

describe('following imports', () => {
  const def = (call: string, id = "'x.id'") =>
    `export const s = ${call}(${id}, { durability: 'shared-durable', value: {} });\n`;

  it.each([
    ['a named import', { 'a.ts': `import { record } from '@stateproof/core';\n${def('record')}` }],
    ['a renamed import', { 'a.ts': `import { record as r } from '@stateproof/core';\n${def('r')}` }],
    ['a namespace import', { 'a.ts': `import * as sp from '@stateproof/core';\n${def('sp.record')}` }],
    ['an element access on a namespace', { 'a.ts': `import * as sp from '@stateproof/core';\n${def("sp['record']")}` }],
    [
      'a renamed re-export',
      {
        'kit.ts': "export { record as rec } from '@stateproof/core';\n",
        'a.ts': `import { rec } from './kit.js';\n${def('rec')}`,
      },
    ],
    [
      'a star re-export',
      {
        'kit.ts': "export * from '@stateproof/core';\n",
        'a.ts': `import { record } from './kit.js';\n${def('record')}`,
      },
    ],
    [
      'a namespace re-export',
      {
        'kit.ts': "export * as core from '@stateproof/core';\n",
        'a.ts': `import { core } from './kit.js';\n${def('core.record')}`,
      },
    ],
    [
      'a namespace import of a barrel',
      {
        'kit/index.ts': "export { record } from '@stateproof/core';\n",
        'a.ts': `import * as kit from './kit/index.js';\n${def('kit.record')}`,
      },
    ],
    [
      'a directory import',
      {
        'kit/index.ts': "export { record } from '@stateproof/core';\n",
        'a.ts': `import { record } from './kit';\n${def('record')}`,
      },
    ],
    [
      'an import then export',
      {
        'kit.ts': "import { record } from '@stateproof/core';\nexport { record as make };\n",
        'a.ts': `import { make } from './kit.js';\n${def('make')}`,
      },
    ],
    [
      'a const alias',
      {
        'kit.ts': "import { record } from '@stateproof/core';\nexport const make = record;\n",
        'a.ts': `import { make } from './kit.js';\n${def('make')}`,
      },
    ],
    [
      'a chain of star re-exports',
      {
        'b.ts': "export * from '@stateproof/core';\n",
        'kit.ts': "export * from './b.js';\n",
        'a.ts': `import { record } from './kit.js';\n${def('record')}`,
      },
    ],
    [
      'a default export',
      {
        'kit.ts': "import { record } from '@stateproof/core';\nexport default record;\n",
        'a.ts': `import make from './kit.js';\n${def('make')}`,
      },
    ],
  ])('finds a definition through %s', (_label, files) => {
    expect(ids(files)).toEqual(['x.id']);
    expect(problems(files)).toEqual([]);
  });

  it.each([
    [
      'a function of the same name from another module',
      {
        'a.ts': `import { record } from './other.js';\n${def('record')}`,
        'other.ts': 'export function record(id: string, o: unknown) { return [id, o]; }\n',
      },
    ],
    [
      'a parameter that shadows the import',
      {
        'a.ts': `import { record } from '@stateproof/core';\nexport function f(record: (id: string, o: object) => void) {\n  record('x.id', { durability: 'shared-durable', value: {} });\n}\n`,
      },
    ],
    [
      'a type-only import',
      { 'a.ts': `import type { record } from '@stateproof/core';\ndeclare const r: typeof record;\n${def('r')}` },
    ],
    ['an unrelated package', { 'a.ts': `import { record } from 'other-lib';\n${def('record')}` }],
  ])('finds nothing through %s', (_label, files) => {
    expect(ids(files)).toEqual([]);
    expect(problems(files)).toEqual([]);
  });

  it('evaluates ids from as-const objects, enums, concatenation, templates and arithmetic', () => {
    const files = {
      'ids.ts': [
        "const APP = 'shop';",
        "export const IDS = { a: `${APP}.a`, list: [APP + `.b`, 'c'] } as const;",
        "export enum E { X = 'enum.x', Y = 'enum.y' }",
        'export const N = 2 * 3 + 1;',
        "export const PARTS = ['p', 'q'] as const satisfies readonly string[];",
      ].join('\n'),
      'a.ts': [
        "import { record } from '@stateproof/core';",
        "import { IDS, E, N, PARTS } from './ids.js';",
        "export const a = record(IDS.a, { durability: 'shared-durable', value: {} });",
        "export const b = record(IDS.list[0], { durability: 'shared-durable', value: {} });",
        "export const c = record(IDS['list'][1]!, { durability: 'shared-durable', value: {} });",
        "export const d = record(E.Y, { durability: 'shared-durable', value: {} });",
        "export const e = record(`n.${N}`, { durability: 'shared-durable', value: {} });",
        "export const f = record(PARTS.join('.'), { durability: 'shared-durable', value: {} });",
      ].join('\n'),
    };
    expect(ids(files)).toEqual(['c', 'enum.y', 'n.7', 'shop.a', 'shop.b']);
    expect(problems(files)).toEqual([
      'a.ts:8:25 dynamic-id the id of this record is not static: calls PARTS.join(); use a string literal or a literal-valued const',
    ]);
  });

  it('reports an import cycle instead of looping', () => {
    const files = {
      'x.ts': "import { B } from './y.js';\nexport const A = B;\n",
      'y.ts': "import { A } from './x.js';\nexport const B = A;\n",
      'a.ts':
        "import { record } from '@stateproof/core';\nimport { A } from './x.js';\nexport const s = record(A, { durability: 'shared-durable', value: {} });\n",
    };
    expect(problems(files)).toEqual([
      'a.ts:3:25 dynamic-id the id of this record is not static: A is computed at run time (A is part of a cycle of definitions); use a string literal or a literal-valued const',
    ]);
  });

  it('reports a syntax error with its position and still reads the other files', () => {
    const result = extract({
      'bad.ts': 'export const = 1;\n',
      'a.ts': `import { record } from '@stateproof/core';\n${def('record')}`,
    });
    expect(result.diagnostics.map(line)).toEqual([
      'bad.ts:1:14 parse-error Variable declaration expected.',
      'bad.ts:1:16 parse-error Variable declaration expected.',
    ]);
    expect(result.surfaces.map((s) => s.id)).toEqual(['x.id']);
  });
});

describe('invalid definitions', () => {
  it.each([
    [
      "record('', { durability: 'shared-durable', value: {} })",
      'a.ts:2:8 invalid-definition surface id must not be empty',
    ],
    [
      "record('a\\u0001b', { durability: 'shared-durable', value: {} })",
      'a.ts:2:8 invalid-definition surface id holds control character U+0001 at index 1',
    ],
    [
      "record(42, { durability: 'shared-durable', value: {} })",
      'a.ts:2:8 invalid-definition surface id must be a string, got number',
    ],
    [
      "record('a', { durability: 'shared-durable', value: {}, ttl: 5 })",
      'a.ts:2:56 invalid-definition record "a" has an unknown option ttl (allowed: durability, owner, recovery, description, scope, schemaVersion, maxValueBytes, source, registry, value, ttlMs)',
    ],
    [
      "record('a', { durability: 'forever', value: {} })",
      'a.ts:2:15 invalid-definition record "a" has durability "forever"; expected one of ephemeral, restart-safe-local, shared-durable, derived-projection, telemetry',
    ],
    [
      "record('a', { durability: 'shared-durable' })",
      'a.ts:2:13 invalid-definition record "a" needs a value schema (a TypeBox schema such as Type.Object({...}))',
    ],
    [
      "record('a', { durability: 'shared-durable', value: {}, source: 'b' })",
      'a.ts:2:56 invalid-definition source is only for derived-projection surfaces, and record "a" is shared-durable',
    ],
    [
      "queue('a', { durability: 'shared-durable', payload: {}, retry: { factor: 20 } })",
      'a.ts:2:57 invalid-definition option retry.factor of queue "a" must be a number from 1 to 10, got 20',
    ],
    [
      "record('a', { durability: 'shared-durable', value: {}, ttlMs: 1.5 })",
      'a.ts:2:56 invalid-definition option ttlMs of record "a" must be an integer from 1 to 9007199254740991, got 1.5',
    ],
  ])('reports %s', (call, expected) => {
    expect(
      problems({
        'a.ts': `import { queue, record } from '@stateproof/core';\nrecord; queue; export const s = 0;\n`.replace(
          'record; queue; export const s = 0;',
          call,
        ),
      }),
    ).toEqual([expected]);
  });
});

describe('suppressions', () => {
  const body = (comment: string) =>
    [
      "import { record } from '@stateproof/core';",
      'export function make(id: string) {',
      `  ${comment}`,
      "  return record(id, { durability: 'shared-durable', value: {} });",
      '}',
    ].join('\n');

  it.each([
    [
      '// stateproof-disable-next-line runtime-definition -- created once by the bootstrap',
      [
        'a.ts:4:17 dynamic-id the id of this record is not static: id is a parameter or local variable; use a string literal or a literal-valued const',
      ],
    ],
    ['// stateproof-disable-next-line runtime-definition, dynamic-id', []],
    ['/* stateproof-disable-next-line */', []],
    [
      '// stateproof-disable-next-line duplicate-id',
      [
        'a.ts:4:10 runtime-definition a shared-durable record is defined inside function make; only ephemeral surfaces may be defined at run time',
        'a.ts:4:17 dynamic-id the id of this record is not static: id is a parameter or local variable; use a string literal or a literal-valued const',
      ],
    ],
  ])('%s silences what it names on the next line', (comment, expected) => {
    expect(problems({ 'a.ts': body(comment) })).toEqual(expected);
  });

  it('silences a duplicate id', () => {
    const text =
      "import { record } from '@stateproof/core';\nexport const a = record('x', { durability: 'shared-durable', value: {} });\n// stateproof-disable-next-line duplicate-id\nexport const b = record('x', { durability: 'shared-durable', value: {} });\n";
    expect(problems({ 'a.ts': text })).toEqual([]);
  });
});
