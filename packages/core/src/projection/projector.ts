import type { LogStore } from '../adapter/log-store.js';
import type { ProjectionCommit } from '../adapter/projection-commit.js';
import type { RecordStore } from '../adapter/record-store.js';
import type { ValueCodec } from '../codec/value-codec.js';
import { InvalidOptionsError } from '../errors/input-errors.js';
import { ProjectionConflictError } from '../errors/outcome-errors.js';
import { trimmedRead } from '../log/trimmed-read.js';
import type { LogHandle, LogItem } from '../runtime/handles/log-handle.js';
import { validateKey } from '../scope/validate-key.js';
import type { AnySurface } from '../surface/surface.js';
import type { ProjectionView, ProjectionWrite } from './projection-write.js';

/** Where a projector is. */
export interface ProjectionLag {
  /** The committed cursor: the last source sequence whose writes are applied. */
  readonly cursor: number;
  /** The source stream's last sequence. */
  readonly head: number;
  /** `head - cursor`: source entries not applied yet. */
  readonly lag: number;
}

/** What a run of the projector did. */
export interface ProjectionProgress {
  /** Source entries applied by this run. */
  readonly applied: number;
  /** The committed cursor at its end. */
  readonly cursor: number;
}

/** What the projector needs of the runtime: the stores and codecs of the projection and the source's handle. */
export interface ProjectorParts<S, P> {
  /** The projection surface. */
  readonly projection: AnySurface;
  /** The projection's store, once opened. */
  readonly store: Promise<RecordStore | LogStore>;
  /** The codec of the projection's values. */
  readonly codec: ValueCodec<P>;
  /** The handle of the source log. */
  readonly source: LogHandle<S>;
  /** The source stream the projection follows. */
  readonly stream: string;
  /** Derives the writes of a batch of source entries; see {@link ProjectionWrite}. */
  readonly project: (
    entries: readonly LogItem<S>[],
    view: ProjectionView<P>,
  ) => readonly ProjectionWrite<P>[] | Promise<readonly ProjectionWrite<P>[]>;
  /** Source entries per commit. */
  readonly batch: number;
  /** How often `start` looks for new source entries when nothing woke it. */
  readonly pollMs: number;
}

/** A view of nothing: what a rebuild's first batch sees, since the commit clears the projection. */
const EMPTY: ProjectionView<never> = { get: async () => null };

/**
 * The projector of a derived projection (spec/contract/classes.md): it reads its source log from
 * its committed cursor, asks `project` for the writes the entries derive, and commits those writes
 * together with the new cursor in one atomic step of the adapter (`applyProjection`), so that every
 * source entry is applied exactly once whatever crashes, and two projectors of one projection (two
 * replicas) take turns instead of applying an entry twice: the one whose cursor moved under it gets
 * a conflict, applies nothing, and goes on from the committed cursor.
 */
export class Projector<S, P> {
  /** One run at a time in this process: catchUp, rebuild and the follower queue up behind each other. */
  private running: Promise<unknown> = Promise.resolve();
  private follower: { stop: boolean; done: Promise<void>; wake: () => void } | undefined;
  private lastError: unknown;

  /** @internal */
  constructor(private readonly parts: ProjectorParts<S, P>) {}

  /** The projection's id. */
  get id(): string {
    return this.parts.projection.id;
  }

  /** The error of the follower's last failed round, if its last round failed (it keeps trying). */
  get error(): unknown {
    return this.lastError;
  }

  /** The committed cursor, the source's head and the lag between them (PRJ-006). */
  async lag(): Promise<ProjectionLag> {
    const [cursor, info] = await Promise.all([this.cursor(), this.parts.source.info(this.parts.stream)]);
    return { cursor, head: info.last, lag: Math.max(0, info.last - cursor) };
  }

  /** Applies the source from the committed cursor up to its head, a batch per commit (PRJ-003, PRJ-004). */
  catchUp(): Promise<ProjectionProgress> {
    return this.exclusive(() => this.run(false));
  }

  /**
   * Clears the projection and replays the source from its first entry (PRJ-005): the clearing and
   * the first batch are one commit, so a crash leaves either the old projection or the new start.
   * A source whose first entries were trimmed cannot be replayed: STATEPROOF_LOG_TRIMMED, and
   * nothing changes.
   */
  rebuild(): Promise<ProjectionProgress> {
    return this.exclusive(() => this.run(true));
  }

  /**
   * Follows the source's tail in the background: catches up, then again whenever the source grows
   * (a subscription wakes it; it also looks every `pollMs`). A failed round is kept in
   * {@link error} and retried. Idempotent; {@link stop} ends it.
   */
  start(): void {
    if (this.follower) return;
    let wake = () => {};
    const f = { stop: false, done: Promise.resolve(), wake: () => wake() };
    this.follower = f;
    f.done = (async () => {
      const sub = await this.parts.source.subscribe(this.parts.stream, { after: 0 }).catch(() => undefined);
      const woken =
        sub &&
        (async () => {
          for await (const _ of sub) wake();
        })().catch(() => undefined);
      try {
        while (!f.stop) {
          try {
            await this.catchUp();
            this.lastError = undefined;
          } catch (error) {
            this.lastError = error;
          }
          if (f.stop) break;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.parts.pollMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      } finally {
        await sub?.close();
        await woken;
      }
    })();
  }

  /** Stops following the tail; resolves once the round in progress ended. */
  async stop(): Promise<void> {
    const f = this.follower;
    if (!f) return;
    this.follower = undefined;
    f.stop = true;
    f.wake();
    await f.done;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.running.then(fn, fn);
    this.running = next.catch(() => undefined);
    return next;
  }

  private async store(): Promise<RecordStore | LogStore> {
    return this.parts.store;
  }

  private async cursor(): Promise<number> {
    const store = await this.store();
    if (!store.projectionCursor) throw missing(this.parts.projection, 'projectionCursor');
    return store.projectionCursor();
  }

  /** The committed state of a record projection, as `project` sees it. */
  private view(store: RecordStore | LogStore): ProjectionView<P> {
    const codec = this.parts.codec;
    if (this.parts.projection.kind !== 'record') return EMPTY;
    const records = store as RecordStore;
    return {
      get: async (key: string) => {
        validateKey(key, 'key');
        const e = await records.get(key);
        return e === null ? null : codec.decode(e.value);
      },
    };
  }

  private async run(rebuild: boolean): Promise<ProjectionProgress> {
    const { source, stream, batch } = this.parts;
    const store = await this.store();
    let applied = 0;
    let reset = rebuild;
    if (rebuild) {
      // Replayable only when nothing of the source was trimmed: check before anything changes.
      const info = await source.info(stream);
      const trimmed = trimmedRead(stream, 0, info.first, info.last);
      if (trimmed) throw trimmed;
    }
    for (;;) {
      const from = await this.cursor();
      const after = reset ? 0 : from;
      const entries = await source.read(stream, { after, limit: batch });
      if (entries.length === 0 && !reset) return { applied, cursor: from };
      const writes = await this.parts.project(entries, reset ? EMPTY : this.view(store));
      const to = entries.at(-1)?.seq ?? 0;
      try {
        await this.commit(store, writes, { from, to, ...(reset ? { reset: true } : {}) });
      } catch (error) {
        // Another projector moved the cursor: what it applied stays applied; go on from there.
        if (error instanceof ProjectionConflictError) continue;
        throw error;
      }
      applied += entries.length;
      reset = false;
      if (entries.length < batch) return { applied, cursor: to };
    }
  }

  private async commit(
    store: RecordStore | LogStore,
    writes: readonly ProjectionWrite<P>[],
    commit: ProjectionCommit,
  ): Promise<void> {
    const { projection, codec } = this.parts;
    if (!Array.isArray(writes))
      throw new InvalidOptionsError(`project() of "${projection.id}" must return an array of writes`, {
        path: 'project',
      });
    if (projection.kind === 'record') {
      const records = store as RecordStore;
      if (!records.applyProjection) throw missing(projection, 'applyProjection');
      const encoded = writes.map((w, i) => {
        if ('put' in w && typeof w.put === 'string') {
          validateKey(w.put, `writes/${i}/put`);
          return { key: w.put, value: codec.encode(w.value) };
        }
        if ('delete' in w && typeof w.delete === 'string') {
          validateKey(w.delete, `writes/${i}/delete`);
          return { key: w.delete, value: null };
        }
        throw badWrite(projection, i, 'a record projection takes { put, value } and { delete }');
      });
      return records.applyProjection(encoded, commit);
    }
    const logs = store as LogStore;
    if (!logs.applyProjection) throw missing(projection, 'applyProjection');
    const encoded = writes.map((w, i) => {
      if ('append' in w && typeof w.append === 'string') {
        validateKey(w.append, `writes/${i}/append`);
        return { stream: w.append, value: codec.encode(w.value) };
      }
      throw badWrite(projection, i, 'a log projection takes { append, value }');
    });
    return logs.applyProjection(encoded, commit);
  }
}

function badWrite(projection: AnySurface, i: number, what: string): InvalidOptionsError {
  return new InvalidOptionsError(`project() of "${projection.id}" returned a write it cannot apply at ${i}: ${what}`, {
    path: `writes/${i}`,
  });
}

function missing(projection: AnySurface, method: string): Error {
  return new Error(
    `internal: the adapter claims derived-projection for ${projection.kind} surfaces but its store has no ${method}`,
  );
}
