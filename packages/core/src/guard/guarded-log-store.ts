import type { LogEntry, LogEvent, LogReadOptions, LogStore } from '../adapter/log-store.js';
import type { ProjectionCommit, ProjectionLogAppend } from '../adapter/projection-commit.js';
import type { Subscription } from '../subscription/subscription.js';
import type { StoreGuard } from './store-guard.js';

/** A log store behind core's guard: refused once closed; batches, cursors and subscriptions only when claimed. */
export class GuardedLogStore implements LogStore {
  constructor(
    private readonly store: LogStore,
    private readonly guard: StoreGuard,
  ) {}

  async append(stream: string, values: readonly string[]): Promise<number[]> {
    this.guard.open();
    if (values.length > 1) this.guard.need('batch', 'atomic batch append');
    return this.store.append(stream, values);
  }

  async read(stream: string, options: LogReadOptions): Promise<LogEntry[]> {
    this.guard.open();
    return this.store.read(stream, options);
  }

  async info(stream: string): Promise<{ first: number | null; last: number }> {
    this.guard.open();
    return this.store.info(stream);
  }

  async getCursor(stream: string, consumer: string): Promise<number> {
    this.guard.open();
    this.guard.need('cursors', 'durable consumer cursors');
    return this.store.getCursor(stream, consumer);
  }

  async commitCursor(
    stream: string,
    consumer: string,
    seq: number,
    options?: { readonly reset?: boolean },
  ): Promise<void> {
    this.guard.open();
    this.guard.need('cursors', 'durable consumer cursors');
    return this.store.commitCursor(stream, consumer, seq, options);
  }

  async subscribe(stream: string, options: { readonly after: number }): Promise<Subscription<LogEvent>> {
    this.guard.open();
    this.guard.need('subscribe', 'log subscriptions');
    return this.store.subscribe(stream, options);
  }

  async applyProjection(appends: readonly ProjectionLogAppend[], commit: ProjectionCommit): Promise<void> {
    this.guard.open();
    this.guard.needClass('derived-projection', 'a projection commit');
    if (!this.store.applyProjection) throw this.guard.unimplemented('applyProjection');
    return this.store.applyProjection(appends, commit);
  }

  async projectionCursor(): Promise<number> {
    this.guard.open();
    this.guard.needClass('derived-projection', 'a projection cursor');
    if (!this.store.projectionCursor) throw this.guard.unimplemented('projectionCursor');
    return this.store.projectionCursor();
  }
}
