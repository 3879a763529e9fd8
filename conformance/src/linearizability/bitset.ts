/**
 * A frozen copy of a {@link Bitset}: the number of leading full words, and the words from there to
 * the last non-empty one. When members are numbered in call order, the operations linearised so far
 * are almost a prefix, so a snapshot is a few words however long the history is.
 */
export interface BitsetSnapshot {
  readonly lead: number;
  /** Plain numbers: a typed array costs more than the few words it would hold. */
  readonly tail: readonly number[];
}

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

  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  /** A frozen copy, for the memo. */
  snapshot(): BitsetSnapshot {
    const tail: number[] = [];
    for (let w = this.lead; w < this.top; w++) tail.push(this.words[w]!);
    return { lead: this.lead, tail };
  }

  /** Whether this set holds exactly the members of `s`. */
  equals(s: BitsetSnapshot): boolean {
    if (s.lead !== this.lead || s.tail.length !== Math.max(this.lead, this.top) - this.lead) return false;
    for (let k = 0; k < s.tail.length; k++) if (this.words[this.lead + k] !== s.tail[k]) return false;
    return true;
  }
}
