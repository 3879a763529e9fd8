import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import {
  CODEC_ID,
  createRegistry,
  record,
  ValueCodec,
  ViolationReporter,
  type Envelope,
  type Mode,
} from '@stateproof/core';

const Order = Type.Object({
  id: Type.String(),
  total: Type.Number({ minimum: 0 }),
  tags: Type.Optional(Type.Array(Type.String())),
});
const surface = record('orders', { durability: 'ephemeral', value: Order, registry: createRegistry() });

const envelope: Envelope = {
  codec: CODEC_ID,
  kind: 'record',
  surface: 'orders',
  app: 'shop',
  deployment: 'd1',
  fingerprint: 'sha256:' + 'a'.repeat(64),
  schemaVersion: 1,
};

function codec(
  options: { mode?: Mode; level?: 'app' | 'deployment'; maxValueBytes?: number; envelope?: Partial<Envelope> } = {},
) {
  const reporter = new ViolationReporter(options.mode ?? 'enforce', { warn: () => undefined });
  const c = new ValueCodec<unknown>({
    envelope: { ...envelope, ...options.envelope },
    level: options.level ?? 'app',
    maxValueBytes: options.maxValueBytes ?? 1024,
    validate: surface.validators.value,
    reporter,
    role: 'value',
  });
  return { c, reporter };
}

function caught(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    return e as { code: string; path?: string };
  }
  throw new Error('expected an error');
}

describe('value codec', () => {
  it('round-trips a value behind an envelope header', () => {
    const { c } = codec();
    const stored = c.encode({ id: 'o1', total: 3.5 });
    const [header, body] = stored.split('\n');
    expect(JSON.parse(header as string)).toEqual(envelope);
    expect(body).toBe('{"id":"o1","total":3.5}');
    expect(c.decode(stored)).toEqual({ id: 'o1', total: 3.5 });
  });

  it.each([
    ['NaN', { id: 'x', total: Number.NaN }, 'STATEPROOF_NOT_IJSON', '/total'],
    ['Infinity', { id: 'x', total: Infinity }, 'STATEPROOF_NOT_IJSON', '/total'],
    ['undefined in an array', { id: 'x', total: 1, tags: [undefined] }, 'STATEPROOF_NOT_IJSON', '/tags/0'],
    ['a BigInt', { id: 'x', total: 1n }, 'STATEPROOF_NOT_IJSON', '/total'],
    ['a function', { id: 'x', total: 1, f: () => 1 }, 'STATEPROOF_NOT_IJSON', '/f'],
    ['a Date', { id: 'x', total: 1, at: new Date(0) }, 'STATEPROOF_NOT_IJSON', '/at'],
    ['a lone surrogate', { id: '\ud800', total: 1 }, 'STATEPROOF_NOT_IJSON', '/id'],
    [
      'a __proto__ key',
      JSON.parse('{"id":"x","total":1,"__proto__":{"admin":true}}'),
      'STATEPROOF_FORBIDDEN_PROPERTY',
      '/__proto__',
    ],
    [
      'a nested __proto__ key',
      JSON.parse('{"id":"x","total":1,"tags":[],"meta":{"__proto__":1}}'),
      'STATEPROOF_FORBIDDEN_PROPERTY',
      '/meta/__proto__',
    ],
  ])('refuses %s in every mode, with the path', (_name, value, code, path) => {
    for (const mode of ['off', 'warn', 'enforce'] as const) {
      expect(caught(() => codec({ mode }).c.encode(value))).toMatchObject({ code, path });
    }
  });

  it('refuses a value one byte over the limit and accepts one at the limit, counting UTF-8 bytes', () => {
    const { c } = codec({ maxValueBytes: 40 });
    // {"id":"","total":1} is 19 bytes; each é adds 2 bytes but one UTF-16 unit.
    const exact = { id: 'é'.repeat(10) + 'x', total: 1 };
    expect(Buffer.byteLength(JSON.stringify(exact))).toBe(40);
    expect(() => c.encode(exact)).not.toThrow();
    const over = { id: 'é'.repeat(11), total: 1 };
    expect(Buffer.byteLength(JSON.stringify(over))).toBe(41);
    expect(JSON.stringify(over).length).toBeLessThan(40);
    expect(caught(() => c.encode(over))).toMatchObject({ code: 'STATEPROOF_VALUE_TOO_LARGE' });
  });

  it('applies the mode to schema violations on write and on read', () => {
    const bad = { id: 'x', total: -1 };
    const enforce = codec({ mode: 'enforce' });
    expect(caught(() => enforce.c.encode(bad))).toMatchObject({ code: 'STATEPROOF_SCHEMA_VIOLATION', path: '/total' });
    const warn = codec({ mode: 'warn' });
    const stored = warn.c.encode(bad);
    expect(warn.reporter.violations.map((v) => [v.code, v.path, v.action])).toEqual([
      ['STATEPROOF_SCHEMA_VIOLATION', '/total', 'warned'],
    ]);
    expect(caught(() => enforce.c.decode(stored))).toMatchObject({
      code: 'STATEPROOF_SCHEMA_VIOLATION',
      path: '/total',
    });
    const off = codec({ mode: 'off' });
    expect(off.c.decode(stored)).toEqual(bad);
    expect(off.reporter.violations[0]?.action).toBe('allowed');
  });

  it.each([
    ['codec', 'json-v2'],
    ['kind', 'log'],
    ['surface', 'other'],
    ['app', 'other-app'],
    ['schemaVersion', 2],
  ] as const)('rejects a stored value whose %s differs, before decoding', (field, value) => {
    const writer = codec({ envelope: { [field]: value } as Partial<Envelope> }).c;
    const stored = writer.encode({ id: 'x', total: 1 }).replace(/\n.*$/, '\n{not json');
    expect(caught(() => codec().c.decode(stored))).toMatchObject({
      code: 'STATEPROOF_ENVELOPE_MISMATCH',
      path: `envelope/${field}`,
    });
  });

  it('checks deployment and fingerprint only for deployment-scoped surfaces', () => {
    for (const field of ['deployment', 'fingerprint'] as const) {
      const stored = codec({
        envelope: { [field]: field === 'deployment' ? 'd2' : 'sha256:' + 'b'.repeat(64) },
      }).c.encode({ id: 'x', total: 1 });
      expect(codec({ level: 'app' }).c.decode(stored)).toEqual({ id: 'x', total: 1 });
      expect(caught(() => codec({ level: 'deployment' }).c.decode(stored))).toMatchObject({
        code: 'STATEPROOF_ENVELOPE_MISMATCH',
        path: `envelope/${field}`,
      });
    }
  });

  it.each([
    ['no header', '{"id":"x","total":1}', 'STATEPROOF_ENVELOPE_CORRUPT'],
    ['a header that is not JSON', 'garbage\n{}', 'STATEPROOF_ENVELOPE_CORRUPT'],
    ['a body that is not JSON', `${JSON.stringify(envelope)}\n{oops`, 'STATEPROOF_ENVELOPE_CORRUPT'],
  ])('rejects a stored value with %s', (_name, stored, code) => {
    expect(caught(() => codec().c.decode(stored))).toMatchObject({ code });
  });

  it('rejects a stored body with a __proto__ key even when the envelope matches', () => {
    expect(
      caught(() => codec().c.decode(`${JSON.stringify(envelope)}\n{"id":"x","total":1,"__proto__":{}}`)),
    ).toMatchObject({ code: 'STATEPROOF_FORBIDDEN_PROPERTY' });
  });
});
