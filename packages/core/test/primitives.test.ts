import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, createEventBuffer, DEFAULT_RETRY, ManualClock, validateKey } from '@stateproof/core';
import { backoffCeiling, backoffDelay, backoffFloor, compareKeys, escapeGlob } from '@stateproof/core/adapter-kit';

describe('compareKeys', () => {
  it('orders strings by UTF-8 bytes (code points), unlike UTF-16 comparison', () => {
    expect(compareKeys('\uffff', '😀')).toBeLessThan(0); // U+FFFF < U+1F600, though its UTF-16 unit is larger
    expect('\uffff' < '😀').toBe(false);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        const byBytes = Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
        expect(Math.sign(compareKeys(a, b))).toBe(byBytes);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('compileGlob', () => {
  it.each([
    ['orders.*', 'orders.1', true],
    ['orders.*', 'orders', false],
    ['o?ders', 'orders', true],
    ['o?ders', 'oders', false],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['*', '', true],
    ['😀?', '😀😀', true],
    ['[x]', '[x]', true],
    ['a.c', 'abc', false],
  ])('%j matches %j: %s', (pattern, text, expected) => {
    expect(compileGlob(pattern)(text)).toBe(expected);
  });

  it('rejects a trailing lone backslash', () => {
    expect(() => compileGlob('abc\\')).toThrow(expect.objectContaining({ code: 'STATEPROOF_INVALID_OPTIONS' }));
  });

  it('matches an escaped literal exactly', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (lit, other) => {
        const m = compileGlob(escapeGlob(lit));
        expect(m(lit)).toBe(true);
        expect(m(other)).toBe(other === lit);
      }),
    );
  });
});

describe('backoff', () => {
  it('follows the pinned formula: capped exponential with downward jitter', () => {
    const p = { ...DEFAULT_RETRY, baseDelayMs: 1000, factor: 2, maxDelayMs: 10_000, jitter: 0.5 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffCeiling(p, n))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(backoffDelay(p, 3, () => 0)).toBe(4000);
    expect(backoffDelay(p, 3, () => 0.5)).toBe(3000);
    expect(backoffDelay(p, 3, () => 0.999999)).toBe(2001);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, r) => {
        const d = backoffDelay(p, n, () => r);
        expect(d).toBeLessThanOrEqual(backoffCeiling(p, n));
        expect(d).toBeGreaterThanOrEqual(backoffFloor(p, n));
        expect(d).toBeGreaterThan(backoffCeiling(p, n) * (1 - p.jitter) - 1);
      }),
    );
  });

  it('never overflows on huge attempt numbers', () => {
    expect(backoffCeiling({ ...DEFAULT_RETRY, factor: 10 }, 1000)).toBe(DEFAULT_RETRY.maxDelayMs);
  });
});

describe('validateKey', () => {
  it.each([
    ['', 'must not be empty'],
    ['a\nb', 'control character U+000A'],
    ['\u007f', 'U+007F'],
    ['\u009f', 'U+009F'],
    ['\udc00', 'lone surrogate'],
    ['x'.repeat(513), '513 UTF-8 bytes'],
  ])('rejects %j', (key, why) => {
    expect(() => validateKey(key, 'key')).toThrow(
      expect.objectContaining({ code: 'STATEPROOF_INVALID_KEY', path: 'key', message: expect.stringContaining(why) }),
    );
  });

  it('accepts quotes, percent signs, wildcards, colons and astral characters', () => {
    for (const k of [`'"%_*?[]:\\`, '😀'.repeat(128), 'a b']) expect(() => validateKey(k, 'key')).not.toThrow();
  });
});

describe('event buffer', () => {
  it('delivers in order, refuses past its bound, and ends cleanly', async () => {
    const { subscription, sink } = createEventBuffer<number>({ bufferSize: 2 });
    expect(sink.push(1)).toBe(true);
    expect(sink.push(2)).toBe(true);
    expect(sink.push(3)).toBe(false);
    expect(await subscription.next()).toEqual({ value: 1, done: false });
    expect(await subscription.next()).toEqual({ value: 2, done: false });
    const pending = subscription.next();
    sink.replace([10, 11, 12]);
    expect(await pending).toEqual({ value: 10, done: false });
    const seen: number[] = [];
    sink.end();
    for await (const v of subscription) seen.push(v);
    expect(seen).toEqual([11, 12]);
    expect(subscription.closed).toBe(true);
  });

  it('resolves a waiting consumer with done on close and runs onClose once', async () => {
    let closes = 0;
    const { subscription, sink } = createEventBuffer<number>({ onClose: () => void closes++ });
    const pending = subscription.next();
    await subscription.close();
    await subscription.close();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(sink.push(1)).toBe(false);
    expect(closes).toBe(1);
  });
});

describe('ManualClock', () => {
  it('moves only forward', () => {
    const c = new ManualClock(1000);
    c.advance(5);
    expect(c.now()).toBe(1005);
    expect(() => c.set(10)).toThrow(RangeError);
    expect(() => c.advance(-1)).toThrow(RangeError);
  });
});
