import type { LogStore } from '../../adapter/log-store.js';

/** Counters of non-blocking appends (`emit`), spec/contract/classes.md, TEL-003. */
export interface EmitStats {
  /** Entries the backend took. */
  readonly appended: number;
  /** Entries dropped: by a full buffer (per its policy) or by a backend that failed to take them. */
  readonly dropped: number;
  /** Entries emitted and neither appended nor dropped yet: buffered, or on their way to the backend. */
  readonly pending: number;
}

/** The bound and drop policy of an emit buffer. */
export interface EmitPolicy {
  /** Entries the buffer holds at most (on their way to the backend included). */
  readonly buffer: number;
  /** Which entry a full buffer drops: the one being emitted, or the oldest buffered one. */
  readonly drop: 'newest' | 'oldest';
}

/** Entries of one stream appended in one call at most. */
const BATCH = 500;

/** The first and the longest pause before a batch the backend refused for a transient reason is tried again. */
const RETRY_FIRST_MS = 20;
const RETRY_MAX_MS = 1000;

/** Whether an error says the backend may take the same append later (an outage, a timeout). */
function transient(error: unknown): boolean {
  return (error as { retryable?: unknown } | null)?.retryable === true;
}

/**
 * The bounded buffer behind `emit` (telemetry): `push` returns at once, before any backend work,
 * on a fast, slow, blocked or absent backend alike (TEL-002); a background drain appends in emit
 * order per stream (TEL-004), batching consecutive entries of one stream when the adapter claims
 * batches. A batch the backend refused for a transient reason (an outage) goes back to the head of
 * the buffer and is tried again with a growing pause, so an outage loses only what does not fit; a
 * full buffer drops by the policy, and a batch refused for good (or still refused when `flush`
 * asks for the last attempt) is dropped. Every drop is counted, so that `appended + dropped +
 * pending` is always what was emitted (TEL-003).
 */
export class EmitBuffer {
  private readonly queued: Array<{ stream: string; encoded: string }> = [];
  private inFlight = 0;
  private appended = 0;
  private dropped = 0;
  private draining: Promise<void> | undefined;
  /** Flushes waiting: while any is, a refused batch is dropped rather than retried. */
  private flushing = 0;
  /** Ends the pause before a retry early (a flush wants its answer now). */
  private wake: (() => void) | undefined;

  constructor(
    private readonly policy: EmitPolicy,
    private readonly store: () => Promise<LogStore>,
    /** Whether the adapter claims atomic batches for logs. */
    private readonly batches: boolean,
  ) {}

  /** Takes one encoded entry; never waits and never throws. */
  push(stream: string, encoded: string): void {
    if (this.queued.length + this.inFlight >= this.policy.buffer) {
      this.dropped++;
      // Oldest: the first entry still buffered makes room (one on its way to the backend cannot).
      if (this.policy.drop === 'newest' || this.queued.length === 0) return;
      this.queued.shift();
    }
    this.queued.push({ stream, encoded });
    this.draining ??= this.drain();
  }

  /**
   * Resolves once every entry pushed so far was appended or dropped: what the backend still refuses
   * gets one more attempt and is then dropped, so a flush (and a runtime's close) ends during an outage.
   * With `timeoutMs`, it resolves by then at the latest: an append the backend never answers cannot
   * hold it (or a close) forever; what is still on its way then stays counted as pending.
   */
  async flush(timeoutMs?: number): Promise<void> {
    this.flushing++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired =
      timeoutMs === undefined
        ? undefined
        : new Promise<'expired'>((resolve) => {
            timer = setTimeout(() => resolve('expired'), timeoutMs);
            timer.unref?.();
          });
    try {
      this.wake?.();
      while (this.draining) {
        if (!expired) await this.draining;
        else if ((await Promise.race([this.draining, expired])) === 'expired') return;
      }
    } finally {
      clearTimeout(timer);
      this.flushing--;
    }
  }

  stats(): EmitStats {
    return { appended: this.appended, dropped: this.dropped, pending: this.queued.length + this.inFlight };
  }

  private async drain(): Promise<void> {
    // Yield first, so that the emit that started the drain returns before any backend work.
    await Promise.resolve();
    let pause = RETRY_FIRST_MS;
    try {
      while (this.queued.length > 0) {
        const stream = (this.queued[0] as { stream: string }).stream;
        let n = 1;
        if (this.batches) while (n < this.queued.length && n < BATCH && this.queued[n]?.stream === stream) n++;
        const batch = this.queued.splice(0, n);
        this.inFlight = batch.length;
        let retry = false;
        try {
          const store = await this.store();
          await store.append(
            stream,
            batch.map((b) => b.encoded),
          );
          this.appended += batch.length;
          pause = RETRY_FIRST_MS;
        } catch (error) {
          retry = transient(error) && this.flushing === 0;
          // Back at the head, still under the bound: order is kept and the policy may drop it.
          if (retry) this.queued.unshift(...batch);
          else this.dropped += batch.length;
        } finally {
          this.inFlight = 0;
        }
        if (retry) {
          await this.sleep(pause);
          pause = Math.min(pause * 2, RETRY_MAX_MS);
        }
      }
    } finally {
      this.draining = undefined;
    }
  }

  /** A pause that a flush ends early and that never keeps the process alive. */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref?.();
      this.wake = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => (this.wake = undefined));
  }
}
