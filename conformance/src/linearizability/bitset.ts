/**
 * A frozen copy of a {@link Bitset}: the number of leading full words, and the words from there to
 * the last non-empty one. When members are numbered in call order, the operations linearised so far
 * are almost a prefix, so that is a few words however long the history is; the usual case of at most
 * one such word packs into a single number (lead * 2^32 + word), else `[lead, ...words]`.
 */
export type BitsetSnapshot = number | readonly number[];

const FULL = 0xffffffff;

/** A fixed-size set of small integers (the operations linearised so far), with compact snapshots. */
export class Bitset {
  private readonly words: Uint32Array;
  /** Words [0, lead) are full. */
  private lead = 0;
  /** Words [top, end) are empty. */
  private top = 0;

  constructor(size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  set(i: number): void {
    const w = i >>> 5;
    this.words[w] = this.words[w]! | (1 << (i & 31));
    if (w >= this.top) this.top = w + 1;
    while (this.lead < this.words.length && this.words[this.lead] === FULL) this.lead++;
  }

  clear(i: number): void {
    const w = i >>> 5;
    this.words[w] = this.words[w]! & ~(1 << (i & 31));
    if (w < this.lead) this.lead = w;
    while (this.top > 0 && this.words[this.top - 1] === 0) this.top--;
  }

  /** A frozen copy, for the memo. */
  snapshot(): BitsetSnapshot {
    const length = this.top - this.lead;
    if (length <= 0) return this.lead * 2 ** 32;
    if (length === 1) return this.lead * 2 ** 32 + this.words[this.lead]!;
    const out = [this.lead];
    for (let w = this.lead; w < this.top; w++) out.push(this.words[w]!);
    return out;
  }

  /** Whether this set holds exactly the members of `s`. */
  equals(s: BitsetSnapshot): boolean {
    const length = this.top - this.lead;
    if (typeof s === 'number')
      return length <= 1 && s === this.lead * 2 ** 32 + (length === 1 ? this.words[this.lead]! : 0);
    if (s[0] !== this.lead || s.length !== length + 1) return false;
    for (let k = 1; k < s.length; k++) if (this.words[this.lead + k - 1] !== s[k]) return false;
    return true;
  }
}
