import { isDeepStrictEqual } from 'node:util';

/** FNV-1a over the UTF-16 code units of `s`. */
export function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** The default state hash: the value itself for small integers, else a hash of its JSON. */
export function defaultHash(state: unknown): number {
  if (typeof state === 'number' && Number.isSafeInteger(state)) return state | 0;
  if (typeof state === 'string') return stringHash(state);
  try {
    return stringHash(JSON.stringify(state) ?? String(state));
  } catch {
    return 0; // unserialisable (cycles, BigInt): one bucket, equality still decides
  }
}

/** The default state equality: identity, then deep equality. */
export function defaultEqual(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || isDeepStrictEqual(a, b);
}

/**
 * Random 32-bit words for Zobrist hashing of sets of operations: the hash of a set is the XOR of
 * its members' words, so adding or removing one operation updates it in constant time.
 * Deterministic (splitmix32), so runs are reproducible.
 */
export function zobristWords(n: number, seed = 0x9e3779b9): Int32Array {
  // The sequence does not depend on n: the default seed's words are made once and shared (read only).
  if (seed === 0x9e3779b9) {
    if (shared.length < n) shared = generate(Math.max(n, 2 * shared.length, 1024), seed);
    return shared.subarray(0, n);
  }
  return generate(n, seed);
}

let shared: Int32Array = new Int32Array(0);

function generate(n: number, seed: number): Int32Array {
  const out = new Int32Array(n);
  let x = seed | 0;
  for (let i = 0; i < n; i++) {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    out[i] = z ^ (z >>> 16);
  }
  return out;
}
