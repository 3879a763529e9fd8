import fc from 'fast-check';

/**
 * Characters that break naive adapters: separators, SQL LIKE and glob wildcards, Redis Cluster hash
 * tag braces, quotes, escapes, astral and high BMP.
 */
export const TRICKY = [
  'a',
  'b',
  ':',
  '{',
  '}',
  '%',
  '_',
  '*',
  '?',
  '[',
  ']',
  "'",
  '"',
  '\\',
  '/',
  '.',
  ' ',
  'é',
  '😀',
  '\uffff',
  '-',
];

/** A key from a small alphabet, so that commands hit the same keys often. */
export function keyArb(alphabet: readonly string[] = ['a', 'b', ':', '%', 'é', '😀']): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...alphabet), minLength: 1, maxLength: 3 });
}

/** Keys with every tricky character. */
export const trickyKeyArb: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom(...TRICKY),
  minLength: 1,
  maxLength: 6,
});

function hasProtoKey(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasProtoKey);
  if (typeof v === 'object' && v !== null)
    return Object.keys(v).some((k) => k === '__proto__' || hasProtoKey((v as Record<string, unknown>)[k]));
  return false;
}

/** Small I-JSON values as they come back from storage (so -0 is 0), without `__proto__` keys. */
export const jsonArb: fc.Arbitrary<unknown> = fc
  .jsonValue({ maxDepth: 2 })
  .map((v) => JSON.parse(JSON.stringify(v)) as unknown)
  .filter((v) => !hasProtoKey(v));

/** Keys that every operation must refuse with STATEPROOF_INVALID_KEY. */
export const invalidKeyArb: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc
    .constantFrom('\u0000', '\n', '\t', '\u001f', '\u007f', '\u0085', '\u009f')
    .chain((c) => fc.tuple(keyArb(), keyArb()).map(([a, b]) => a + c + b)),
  fc.constantFrom('\ud800', '\udfff').map((s) => `k${s}`),
  fc.integer({ min: 513, max: 600 }).map((n) => 'k'.repeat(n)),
  fc.integer({ min: 129, max: 200 }).map((n) => '😀'.repeat(n)), // over 512 bytes in fewer than 512 UTF-16 units
);

/** Values that are not I-JSON, with the JSON Pointer of the offence. */
export const nonIJsonArb: fc.Arbitrary<{ value: unknown; path: string; label: string }> = fc.constantFrom(
  { value: { a: Number.NaN }, path: '/a', label: 'NaN' },
  { value: { a: [1, Infinity] }, path: '/a/1', label: 'Infinity' },
  { value: { a: -Infinity }, path: '/a', label: '-Infinity' },
  { value: { a: undefined }, path: '/a', label: 'undefined' },
  { value: { a: 1n }, path: '/a', label: 'BigInt' },
  { value: { f: () => 1 }, path: '/f', label: 'function' },
  { value: { d: new Date(0) }, path: '/d', label: 'Date' },
  { value: { m: new Map() }, path: '/m', label: 'Map' },
  { value: { s: 'x\ud800' }, path: '/s', label: 'lone surrogate' },
  { value: { ['k\udc00']: 1 }, path: '/k\udc00', label: 'lone surrogate in a key' },
  { value: [1, , 3], path: '/1', label: 'sparse array' },
  { value: Symbol('x'), path: '', label: 'symbol' },
);

/** Characters of 1 to 4 UTF-8 bytes that JSON leaves unescaped: Latin (2), CJK and € (3), astral (4 bytes, two UTF-16 units). */
const MULTI_BYTE = ['é', 'ß', '中', '語', '€', '😀', '𝄞'];

/** The largest of ASCII, Latin and CJK that fits in `left` bytes (at least one byte left). */
function filler(left: number): string {
  return left >= 3 ? '中' : left === 2 ? 'é' : 'x';
}

/** A value of a size limit's test, with its encoded size in UTF-8 bytes and in UTF-16 code units. */
export interface SizedValue {
  readonly value: { readonly n: number; readonly s: string };
  /** UTF-8 bytes of its JSON: what a size limit counts. */
  readonly bytes: number;
  /** UTF-16 code units of its JSON (fewer than `bytes`: a limit counted in units lets it through). */
  readonly units: number;
}

/**
 * Values `{ n: 1, s }` whose JSON encoding is exactly `bytes` UTF-8 bytes (at least 16), the string
 * built mostly from multi-byte and astral characters, so that a size counted in UTF-16 code units
 * or string length falls short of the byte count.
 */
export function sizedValueArb(bytes: number): fc.Arbitrary<SizedValue> {
  const overhead = Buffer.byteLength(JSON.stringify({ n: 1, s: '' }), 'utf8');
  return fc.array(fc.constantFrom(...MULTI_BYTE), { minLength: 1, maxLength: 12 }).map((chars) => {
    let s = '';
    let left = bytes - overhead;
    for (let i = 0; left > 0; i++) {
      const c = chars[i % chars.length] as string;
      const add = Buffer.byteLength(c, 'utf8') <= left ? c : filler(left);
      s += add;
      left -= Buffer.byteLength(add, 'utf8');
    }
    const json = JSON.stringify({ n: 1, s });
    return { value: { n: 1, s }, bytes: Buffer.byteLength(json, 'utf8'), units: json.length };
  });
}
