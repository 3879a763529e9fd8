/** A fixed-size set of small integers (the operations linearised so far), with word-wise equality. */
export class Bitset {
  readonly words: Uint32Array;

  constructor(size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  set(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
  }

  clear(i: number): void {
    this.words[i >>> 5]! &= ~(1 << (i & 31));
  }

  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  /** A frozen copy of the words, for the memo. */
  snapshot(): Uint32Array {
    return this.words.slice();
  }

  /** Whether this set holds exactly the members of `words` (a snapshot). */
  equals(words: Uint32Array): boolean {
    const w = this.words;
    for (let k = 0; k < w.length; k++) if (w[k] !== words[k]) return false;
    return true;
  }
}
