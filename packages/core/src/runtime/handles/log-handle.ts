import type { LogEntry, LogEvent, LogStore } from '../../adapter/log-store.js';
import { InvalidOptionsError } from '../../errors/input-errors.js';
import { validateKey } from '../../scope/validate-key.js';
import { MAX_PAGE } from '../../surface/defaults.js';
import { mapSubscription } from '../../subscription/map-subscription.js';
import type { Subscription } from '../../subscription/subscription.js';
import { optionalBoolean, optionalInt, optionObject } from '../../validation/option-checks.js';
import type { HandleContext } from '../handle-context.js';

/** A log entry as a reader sees it. */
export interface LogItem<T> {
  readonly seq: number;
  readonly value: T;
  readonly at: number;
}

/** What a typed log subscription yields. */
export type LogItemEvent<T> =
  | { readonly type: 'entry'; readonly entry: LogItem<T> }
  | { readonly type: 'resync'; readonly reason: 'trimmed'; readonly fromSeq: number; readonly toSeq: number };

/** Counters of non-blocking appends ({@link LogHandle.emit}). */
export interface EmitStats {
  /** Entries persisted. */
  readonly appended: number;
  /** Entries dropped: buffer full or backend error. */
  readonly dropped: number;
  /** Entries waiting in the buffer. */
  readonly pending: number;
}

/** Largest number of emitted entries waiting for the backend before new ones are dropped. */
export const EMIT_BUFFER = 10_000;

/** Typed access to a log surface (spec/contract/log.md). */
export class LogHandle<T> {
  private readonly pending: Array<{ stream: string; encoded: string }> = [];
  private flushing: Promise<void> | undefined;
  private appended = 0;
  private dropped = 0;

  /** @internal */
  constructor(private readonly ctx: HandleContext<LogStore>) {}

  /** The surface id. */
  get id(): string {
    return this.ctx.surface.id;
  }

  private item(e: LogEntry): LogItem<T> {
    return { seq: e.seq, value: this.ctx.codec<T>('value').decode(e.value), at: e.at };
  }

  /** Appends one entry and returns its sequence (gap-free per stream, from 1). */
  async append(stream: string, value: T): Promise<number> {
    validateKey(stream, 'stream');
    const encoded = this.ctx.codec<T>('value').encode(value);
    this.ctx.beforeWrite('append');
    const [seq] = await (await this.ctx.store()).append(stream, [encoded]);
    if (seq === undefined) throw new Error(`internal: adapter returned no sequence for an append to "${stream}"`);
    return seq;
  }

  /** Appends several entries atomically (all or none); their sequences are consecutive. */
  async appendBatch(stream: string, values: readonly T[]): Promise<number[]> {
    validateKey(stream, 'stream');
    if (!Array.isArray(values)) throw new InvalidOptionsError('values must be an array', { path: 'values' });
    if (values.length === 0) return [];
    const codec = this.ctx.codec<T>('value');
    const encoded = values.map((v) => codec.encode(v));
    this.ctx.beforeWrite('appendBatch');
    return (await this.ctx.store()).append(stream, encoded);
  }

  /**
   * Appends without waiting for the backend (telemetry): the entry goes to a bounded buffer that is
   * written in the background. A full buffer or a backend error drops the entry and counts it in
   * {@link stats}. Malformed values still throw at once: they are the caller's bug, not a backend fault.
   */
  emit(stream: string, value: T): void {
    validateKey(stream, 'stream');
    const encoded = this.ctx.codec<T>('value').encode(value);
    this.ctx.beforeWrite('emit');
    if (this.pending.length >= EMIT_BUFFER) {
      this.dropped++;
      return;
    }
    this.pending.push({ stream, encoded });
    this.flushing ??= this.drain();
  }

  /** Waits until every emitted entry was written or dropped. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** Counters of {@link emit}. */
  stats(): EmitStats {
    return { appended: this.appended, dropped: this.dropped, pending: this.pending.length };
  }

  private async drain(): Promise<void> {
    // Yield first so that emit() returns before any backend work starts.
    await Promise.resolve();
    try {
      while (this.pending.length > 0) {
        const first = this.pending[0] as { stream: string };
        let n = 0;
        while (n < this.pending.length && n < 500 && this.pending[n]?.stream === first.stream) n++;
        const batch = this.pending.splice(0, n);
        try {
          const store = await this.ctx.store();
          if (batch.length > 1 && this.ctx.claims('batch')) {
            await store.append(
              first.stream,
              batch.map((b) => b.encoded),
            );
          } else {
            for (const b of batch) await store.append(b.stream, [b.encoded]);
          }
          this.appended += batch.length;
        } catch {
          this.dropped += batch.length;
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  /** Entries with a sequence greater than `after`, ascending; STATEPROOF_LOG_TRIMMED when some were trimmed. */
  async read(stream: string, options?: { readonly after?: number; readonly limit?: number }): Promise<LogItem<T>[]> {
    validateKey(stream, 'stream');
    const o = optionObject(options, '', ['after', 'limit']);
    const after = optionalInt(o['after'], 'after', { min: 0 }) ?? 0;
    const limit = optionalInt(o['limit'], 'limit', { max: MAX_PAGE }) ?? 100;
    const entries = await (await this.ctx.store()).read(stream, { after, limit });
    return entries.map((e) => this.item(e));
  }

  /** Oldest retained and last assigned sequence of a stream. */
  async info(stream: string): Promise<{ first: number | null; last: number }> {
    validateKey(stream, 'stream');
    return (await this.ctx.store()).info(stream);
  }

  /** The committed cursor of a consumer (0 when none). */
  async getCursor(stream: string, consumer: string): Promise<number> {
    validateKey(stream, 'stream');
    validateKey(consumer, 'consumer');
    return (await this.ctx.store()).getCursor(stream, consumer);
  }

  /** Commits a consumer cursor; it never moves backwards unless `reset` is true. */
  async commitCursor(
    stream: string,
    consumer: string,
    seq: number,
    options?: { readonly reset?: boolean },
  ): Promise<void> {
    validateKey(stream, 'stream');
    validateKey(consumer, 'consumer');
    const checked = optionalInt(seq, 'seq', { min: 0 });
    if (checked === undefined) throw new InvalidOptionsError('seq is required', { path: 'seq' });
    const reset = optionalBoolean(optionObject(options, '', ['reset'])['reset'], 'reset');
    return (await this.ctx.store()).commitCursor(stream, consumer, checked, reset ? { reset } : {});
  }

  /** Tails a stream from `after`: every later entry in order, no gap, no duplicate; trimmed entries are announced by a resync event. */
  async subscribe(stream: string, options?: { readonly after?: number }): Promise<Subscription<LogItemEvent<T>>> {
    validateKey(stream, 'stream');
    const after = optionalInt(optionObject(options, '', ['after'])['after'], 'after', { min: 0 }) ?? 0;
    const inner = await (await this.ctx.store()).subscribe(stream, { after });
    return mapSubscription(inner, (e: LogEvent): LogItemEvent<T> =>
      e.type === 'entry' ? { type: 'entry', entry: this.item(e.entry) } : e,
    );
  }
}
