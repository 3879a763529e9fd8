import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntMap } from '../src/linearizability/int-map.js';

describe('IntMap (the memo index of the linearizability search)', () => {
  it('agrees with a Map on any sequence of sets and gets, across growth and colliding keys', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(fc.integer({ min: -40, max: 40 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
            fc.nat(1_000_000),
            fc.boolean(),
          ),
          { maxLength: 3000 },
        ),
        (ops) => {
          const map = new IntMap(16);
          const ref = new Map<number, number>();
          for (const [key, value, isSet] of ops) {
            if (isSet) {
              map.set(key, value);
              ref.set(key, value);
            } else expect(map.get(key)).toBe(ref.get(key) ?? -1);
          }
          expect(map.size).toBe(ref.size);
          for (const [key, value] of ref) expect(map.get(key)).toBe(value);
        },
      ),
      { numRuns: 200, seed: 5 },
    );
  });

  it('holds a value of 0 and says -1 for a key never set', () => {
    const map = new IntMap();
    map.set(0, 0);
    expect(map.get(0)).toBe(0);
    expect(map.get(1)).toBe(-1);
  });
});
