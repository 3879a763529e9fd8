/**
 * A map from 32-bit integers to non-negative integers, by open addressing on two number arrays
 * (V8 keeps them unboxed): the memo of a long search holds millions of keys, and a `Map` of boxed
 * entries costs far more time and memory (measured: the memo's lookups were a quarter of a failing
 * search's time). Plain arrays rather than typed ones, since a history of a thousand small keys makes
 * a thousand small maps, and a typed array's buffer costs the collector more than its use saves there.
 */
export class IntMap {
  private keys: number[];
  /** Value + 1; 0 marks an empty slot. */
  private values: number[];
  private shift: number;
  private count = 0;

  /** `capacity` is rounded up to a power of two; the table doubles when half full. */
  constructor(capacity = 1024) {
    const bits = Math.max(4, Math.ceil(Math.log2(capacity)));
    this.keys = new Array<number>(1 << bits).fill(0);
    this.values = new Array<number>(1 << bits).fill(0);
    this.shift = 32 - bits;
  }

  /** Entries stored. */
  get size(): number {
    return this.count;
  }

  /** The value stored under `key`, or -1. */
  get(key: number): number {
    const mask = this.keys.length - 1;
    for (let i = Math.imul(key, 0x9e3779b1) >>> this.shift; ; i = (i + 1) & mask) {
      const v = this.values[i]!;
      if (v === 0) return -1;
      if (this.keys[i] === key) return v - 1;
    }
  }

  /** Stores `value` (0 or more) under `key`, replacing what was there. */
  set(key: number, value: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    for (let i = Math.imul(key, 0x9e3779b1) >>> this.shift; ; i = (i + 1) & mask) {
      if (this.values[i] === 0) {
        this.keys[i] = key;
        this.values[i] = value + 1;
        this.count++;
        return;
      }
      if (this.keys[i] === key) {
        this.values[i] = value + 1;
        return;
      }
    }
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Array<number>(keys.length * 2).fill(0);
    this.values = new Array<number>(keys.length * 2).fill(0);
    this.shift--;
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (values[i] !== 0) this.set(keys[i]!, values[i]! - 1);
  }
}
