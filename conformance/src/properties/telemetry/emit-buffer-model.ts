/** One emitted entry: its stream and a value unique in the run. */
export interface Emitted {
  readonly stream: string;
  readonly value: number;
}

/**
 * The reference model of the emit buffer's drop policy (spec/contract/classes.md, TEL-003), for a
 * backend that takes nothing while the model is used: the buffer holds at most `buffer` entries,
 * those on their way to the backend included; when full, `newest` drops the entry being emitted and
 * `oldest` the oldest one still buffered, or the one being emitted when every buffered entry is
 * already on its way (an entry in flight cannot be recalled).
 */
export class EmitBufferModel {
  /** Entries handed to the backend (held at a blocked gate). */
  readonly inFlight: Emitted[] = [];
  /** Entries buffered, not yet handed to the backend. */
  readonly queued: Emitted[] = [];
  dropped = 0;

  constructor(
    private readonly buffer: number,
    private readonly drop: 'newest' | 'oldest',
  ) {}

  push(e: Emitted): void {
    if (this.queued.length + this.inFlight.length >= this.buffer) {
      this.dropped++;
      if (this.drop === 'newest' || this.queued.length === 0) return;
      this.queued.shift();
    }
    this.queued.push(e);
  }

  /** The drain handed the head of the buffer to the backend. */
  send(count: number): void {
    this.inFlight.push(...this.queued.splice(0, count));
  }

  get pending(): number {
    return this.queued.length + this.inFlight.length;
  }

  /** What the backend ends up with once it takes everything still held: in flight first, then buffered. */
  kept(): Emitted[] {
    return [...this.inFlight, ...this.queued];
  }
}
