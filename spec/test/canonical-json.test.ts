import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize, parseStrictJson } from '@stateproof/spec';

const vectors = JSON.parse(readFileSync(new URL('../vectors/canonical-json.json', import.meta.url), 'utf8')) as {
  documents: Array<{ name: string; input: string; output: string }>;
  numbers: Array<{ bits: string; output: string | null }>;
};

describe('RFC 8785 canonical JSON', () => {
  it.each(vectors.documents.map((d) => [d.name, d] as const))('canonicalises %s', (_name, d) => {
    expect(canonicalize(parseStrictJson(d.input))).toBe(d.output);
  });

  it.each(vectors.numbers.map((n) => [n.bits, n.output] as const))(
    'serialises the double %s as %s (Appendix B)',
    (bits, output) => {
      const value = Buffer.from(bits, 'hex').readDoubleBE(0);
      if (output === null)
        expect(() => canonicalize(value)).toThrow(expect.objectContaining({ code: 'STATEPROOF_NOT_IJSON' }));
      else expect(canonicalize(value)).toBe(output);
    },
  );

  it('includes the RFC examples and the full Appendix B table', () => {
    expect(vectors.documents.map((d) => d.name)).toEqual(
      expect.arrayContaining(['rfc8785-3.2.2-example', 'rfc8785-3.2.3-sorting']),
    );
    expect(vectors.numbers).toHaveLength(26);
  });

  // Member names in text order, per object: Object.keys would list integer-like names first.
  const membersSortedInText = (text: string): boolean => {
    const stack: Array<{ object: boolean; last: string | null; expectKey: boolean }> = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '{' || c === '[') stack.push({ object: c === '{', last: null, expectKey: c === '{' });
      else if (c === '}' || c === ']') stack.pop();
      else if (c === ',') {
        const top = stack[stack.length - 1];
        if (top?.object) top.expectKey = true;
      } else if (c === '"') {
        let j = i + 1;
        while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
        const top = stack[stack.length - 1];
        if (top?.object && top.expectKey) {
          const name = JSON.parse(text.slice(i, j + 1)) as string;
          if (top.last !== null && !(top.last < name)) return false;
          top.last = name;
          top.expectKey = false;
        }
        i = j;
      }
    }
    return true;
  };

  it('round-trips through the strict parser, is idempotent, and sorts members at every level', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalize(v);
        const back = parseStrictJson(text);
        expect(canonicalize(back)).toBe(text);
        expect(membersSortedInText(text)).toBe(true);
        expect(text).not.toMatch(/\n/);
      }),
      { numRuns: 1000 },
    );
  });

  it('is independent of member insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 })), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalize(reversed)).toBe(canonicalize(obj));
      }),
    );
  });
});
