/** What one call of a coalesced batch came to. */
export type Outcome<O> =
  | {
      /** The call succeeded. */
      readonly ok: true;
      /** What it returns. */
      readonly value: O;
    }
  | {
      /** The call failed. */
      readonly ok: false;
      /** What it rejects with. */
      readonly error: unknown;
    };

interface Pending<I, O> {
  readonly item: I;
  readonly resolve: (value: O) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Gathers the calls made in one turn of the event loop and runs them as one batch: the pattern of
 * the SQLite adapter's group commit, for a server (the Postgres and Redis adapters batch their task
 * completions with it: one statement, one script). `run` gets the items in call order and returns
 * one outcome per item, in the same order; each call settles with exactly its own outcome. When
 * `run` throws, every call of the batch rejects with that error (the batch was one statement or script, so
 * either all of it or none of it applied, and the caller must be told so).
 *
 * A batch is sent on the next turn (setImmediate, not a microtask: calls reach the store after a
 * few awaits in core, and all of them a caller started together should share the batch). While
 * `maxInFlight` batches run, later calls keep gathering and go out together when one returns.
 */
export class Coalescer<I, O> {
  private pending: Array<Pending<I, O>> = [];
  private scheduled = false;
  private inFlight = 0;

  /** `run` sends one batch; at most `maxInFlight` batches run at once. */
  constructor(
    private readonly run: (items: readonly I[]) => Promise<ReadonlyArray<Outcome<O>>>,
    private readonly maxInFlight: number,
    /** Items per batch at most; more are sent as further batches. */
    private readonly maxBatch: number,
  ) {}

  /** Adds `item` to the next batch; settles with its own outcome. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.pending.length === 0 || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.pending.length > 0 && this.inFlight < this.maxInFlight)
        this.flush(this.pending.splice(0, this.maxBatch));
    });
  }

  private flush(batch: Array<Pending<I, O>>): void {
    this.inFlight++;
    let outcomes: Promise<ReadonlyArray<Outcome<O>>>;
    try {
      outcomes = this.run(batch.map((p) => p.item));
    } catch (error) {
      outcomes = Promise.reject(error);
    }
    outcomes
      .then(
        (results) => {
          batch.forEach((p, i) => {
            const r = results[i];
            if (r === undefined)
              p.reject(new Error(`internal: a coalesced batch of ${batch.length} returned ${results.length} outcomes`));
            else if (r.ok) p.resolve(r.value);
            else p.reject(r.error);
          });
        },
        (error: unknown) => {
          for (const p of batch) p.reject(error);
        },
      )
      .finally(() => {
        this.inFlight--;
        this.schedule();
      });
  }
}
