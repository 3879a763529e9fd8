import { describe, expect, it } from 'vitest';
import { CODEC_ID, ValueCodec, ViolationReporter, type Envelope } from '@stateproof/core';

// The read path checks I-JSON with a quick pass that builds no JSON Pointer (spec/src/json/ijson.ts);
// only a value that fails it is walked again for the error. These pin what a reader is told: the
// same code, message and pointer to the first offending member, however deep it sits.

const envelope: Envelope = {
  codec: CODEC_ID,
  kind: 'record',
  surface: 'orders',
  app: 'shop',
  deployment: 'd1',
  fingerprint: 'sha256:' + 'a'.repeat(64),
  schemaVersion: 1,
};

const codec = new ValueCodec<unknown>({
  envelope,
  level: 'app',
  maxValueBytes: 1 << 20,
  validate: undefined,
  reporter: new ViolationReporter('enforce', { warn: () => undefined }),
  role: 'value',
});

const stored = (json: string) => `${JSON.stringify(envelope)}\n${json}`;

function caught(fn: () => unknown): { code: string; path?: string; message: string } {
  try {
    fn();
  } catch (e) {
    return e as { code: string; path?: string; message: string };
  }
  throw new Error('expected an error');
}

describe('decode reports the path of an invalid nested member', () => {
  it.each([
    [
      'a lone surrogate in a nested string',
      '{"id":"o1","items":[{"sku":"a"},{"sku":"b","name":"x\\udc00"}]}',
      'STATEPROOF_NOT_IJSON',
      '/items/1/name',
      'string at /items/1/name holds a lone surrogate',
    ],
    [
      'a lone surrogate in a nested member name (escaped ~ and / before it)',
      '{"a/b":{"c~d":{"k\\ud800":1}}}',
      'STATEPROOF_NOT_IJSON',
      '/a~1b/c~0d/k\ud800',
      'property name at /a~1b/c~0d/k\ud800 holds a lone surrogate',
    ],
    [
      'a number beyond the double range, deep in an array',
      '{"m":[[0,[1,1e400]]]}',
      'STATEPROOF_NOT_IJSON',
      '/m/0/1/1',
      'number at /m/0/1/1 is Infinity, not finite',
    ],
    [
      'a nested __proto__ member',
      '{"a":{"b":[{"__proto__":{}}]}}',
      'STATEPROOF_FORBIDDEN_PROPERTY',
      '/a/b/0/__proto__',
      'property "__proto__" at /a/b/0/__proto__ is not allowed',
    ],
    [
      'a lone surrogate as the whole value',
      '"\\udc00"',
      'STATEPROOF_NOT_IJSON',
      '',
      'string at / holds a lone surrogate',
    ],
  ])('%s', (_name, json, code, path, message) => {
    const e = caught(() => codec.decode(stored(json)));
    expect(e).toMatchObject({ code, path });
    expect(e.message).toBe(message);
  });

  it('names the member nested past the depth limit', () => {
    const json = `{"deep":${'['.repeat(600)}${']'.repeat(600)}}`;
    const e = caught(() => codec.decode(stored(json)));
    expect(e).toMatchObject({ code: 'STATEPROOF_NOT_IJSON', path: '/deep' + '/0'.repeat(511) });
    expect(e.message).toBe(`value at /deep${'/0'.repeat(511)} is nested deeper than 512`);
  });

  it('decodes a valid value with members that look like pointers', () => {
    expect(codec.decode(stored('{"a/b":{"c~d":["x",{"e":null}]}}'))).toEqual({ 'a/b': { 'c~d': ['x', { e: null }] } });
  });
});
