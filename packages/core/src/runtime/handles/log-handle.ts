import type { LogEntry, LogEvent, LogStore } from '../../adapter/log-store.js';
import { InvalidOptionsError } from '../../errors/input-errors.js';
import { validateKey } from '../../scope/validate-key.js';
import { DEFAULT_TELEMETRY, MAX_PAGE } from '../../surface/defaults.js';
import { EmitBuffer, type EmitStats } from './emit-buffer.js';

export type { EmitStats } from './emit-buffer.js';
import { mapSubscription } from '../../subscription/map-subscription.js';
import type { Subscription } from '../../subscription/subscription.js';
import { optionalBoolean, optionalInt, optionObject } from '../../validation/option-checks.js';
import type { HandleContext } from '../handle-context.js';

/** A log entry as a reader sees it. */
export interface LogItem<T> {
  /** Its sequence: per stream 1, 2, 3, … without gaps, never reused. */
  readonly seq: number;
  /** The value, decoded. */
  readonly value: T;
  /** When it was appended (epoch ms, adapter clock). */
  readonly at: number;
}

/** What a typed log subscription yields. */
export type LogItemEvent<T> =
  | {
      /** The next entry. */
      readonly type: 'entry';
      /** The entry. */
      readonly entry: LogItem<T>;
    }
  | {
      /** Entries `fromSeq..toSeq` were trimmed by retention before the subscriber read them. */
      readonly type: 'resync';
      /** Why: retention trimmed them. */
      readonly reason: 'trimmed';
      /** The first skipped sequence. */
      readonly fromSeq: number;
      /** The last skipped sequence; delivery resumes after it. */
      readonly toSeq: number;
    };

/** Typed access to a log surface (spec/contract/log.md). */
export class LogHandle<T> {
  private readonly emitted: EmitBuffer;

  /** @internal */
  constructor(private readonly ctx: HandleContext<LogStore>) {
    this.emitted = new EmitBuffer(
      ctx.surface.definition.options.telemetry ?? DEFAULT_TELEMETRY,
      () => ctx.store(),
      ctx.claims('batch'),
    );
  }

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
   * written in the background, in emit order per stream. A full buffer drops by the surface's policy
   * (the entry being emitted, or the oldest buffered one); what a backend in an outage refused stays
   * buffered and is tried again, what it refused for good is dropped; every drop is counted in {@link stats}. Malformed values still throw at once: they are
   * the caller's bug, not a backend fault (spec/contract/classes.md, TEL-002 and TEL-003).
   */
  emit(stream: string, value: T): void {
    validateKey(stream, 'stream');
    const encoded = this.ctx.codec<T>('value').encode(value);
    this.ctx.beforeWrite('emit');
    this.emitted.push(stream, encoded);
  }

  /**
   * Waits until every emitted entry was written or dropped (during an outage: one last attempt, then
   * dropped). With `timeoutMs`, it waits that long at most: {@link stats} then counts what a backend
   * that never answered still holds as pending.
   */
  async flush(options?: { readonly timeoutMs?: number }): Promise<void> {
    const o = optionObject(options, '', ['timeoutMs']);
    return this.emitted.flush(optionalInt(o['timeoutMs'], 'timeoutMs', { min: 0, max: 3_600_000 }));
  }

  /** Counters of {@link emit}: `appended + dropped + pending` is every entry emitted. */
  stats(): EmitStats {
    return this.emitted.stats();
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
  async info(stream: string): Promise<{
    /** The oldest retained sequence; null when none is retained. */
    first: number | null;
    /** The last sequence ever assigned; 0 when none. */
    last: number;
  }> {
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
