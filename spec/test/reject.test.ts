import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertIJson, canonicalize, JsonParseError, parseStrictJson } from '@stateproof/spec';

const vectors = JSON.parse(readFileSync(new URL('../vectors/reject.json', import.meta.url), 'utf8')) as {
  texts: Array<{ name: string; input: string; code: string; path: string | null }>;
  values: Array<{ name: string; code: string; path: string }>;
};

const cycle: Record<string, unknown> = {};
cycle['a'] = cycle;
const constructed: Record<string, unknown> = {
  NaN: { a: Number.NaN },
  Infinity: { a: Infinity },
  '-Infinity': { a: -Infinity },
  undefined: { a: undefined },
  BigInt: { a: 10n },
  function: { a: () => 1 },
  symbol: { a: Symbol('s') },
  'Date instance': { a: new Date(0) },
  'lone surrogate in a string': { a: 'x\ud83d' },
  'lone surrogate in a member name': { ['k\udc00']: 1 },
  'sparse array': { a: [1, , 3] },
  cycle,
};

function caught(fn: () => unknown): { code: string; path?: string; line?: number; column?: number } {
  try {
    fn();
  } catch (e) {
    return e as { code: string; path?: string };
  }
  throw new Error('expected an error');
}

describe('strict I-JSON input', () => {
  it.each(vectors.texts.map((t) => [t.name, t] as const))('rejects the text with %s', (_name, t) => {
    const e = caught(() => parseStrictJson(t.input));
    expect(e).toBeInstanceOf(JsonParseError);
    expect(e.code).toBe(t.code);
    expect(e.path ?? null).toBe(t.path);
  });

  it.each(vectors.values.map((v) => [v.name, v] as const))(
    'rejects the value with %s, with its JSON Pointer',
    (name, v) => {
      const value = constructed[name];
      expect(value).toBeDefined();
      const path = name === 'lone surrogate in a member name' ? '/k\udc00' : v.path;
      expect(caught(() => canonicalize(value))).toMatchObject({ code: v.code, path });
      expect(caught(() => assertIJson(value))).toMatchObject({ code: v.code, path });
    },
  );

  it('covers every constructed value in the vectors', () => {
    expect(vectors.values.map((v) => v.name).sort()).toEqual(Object.keys(constructed).sort());
  });

  it('reports line and column of a duplicate key', () => {
    const e = caught(() => parseStrictJson('{\n  "a": 1,\n  "a": 2\n}'));
    expect(e).toMatchObject({ line: 3, column: 3, path: '/a' });
  });

  it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(caught(() => parseStrictJson(deep)).code).toBe('STATEPROOF_JSON_PARSE');
    let v: unknown = 1;
    for (let i = 0; i < 600; i++) v = [v];
    expect(caught(() => canonicalize(v)).code).toBe('STATEPROOF_NOT_IJSON');
  });

  it('tells a shared member from a cycle, wherever the cycle starts (the quick pass fails cycles on depth)', () => {
    const shared = { k: [1, 2] };
    expect(() => assertIJson({ a: shared, b: [shared, shared] })).not.toThrow();
    const inner: Record<string, unknown> = { x: 1 };
    inner['back'] = { again: inner };
    expect(caught(() => assertIJson({ list: [0, { inner }] }))).toMatchObject({
      code: 'STATEPROOF_NOT_IJSON',
      path: '/list/1/inner/back/again',
    });
  });

  it('tolerates a byte-order mark and whitespace', () => {
    expect(parseStrictJson('\ufeff \n{"a": [1, 2]}\t')).toEqual({ a: [1, 2] });
  });

  it('makes __proto__ an own property without touching prototypes', () => {
    const v = parseStrictJson('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(caught(() => assertIJson(v, { forbidProtoKeys: true }))).toMatchObject({
      code: 'STATEPROOF_FORBIDDEN_PROPERTY',
      path: '/__proto__',
    });
    expect(() => assertIJson(v)).not.toThrow();
  });
});
