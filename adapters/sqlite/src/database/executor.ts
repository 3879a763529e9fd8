import type Database from 'better-sqlite3';
import { ClosedError } from '@stateproof/core/adapter-kit';
import { mapSqliteError } from './sqlite-error-mapping.js';

interface PendingOp {
  readonly write: boolean;
  readonly fn: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Runs store operations on one connection with group commit. better-sqlite3 is synchronous, so an
 * operation is a synchronous function; the executor queues the operations issued in the same turn
 * of the event loop and runs them in one transaction — `BEGIN IMMEDIATE` when any of them writes,
 * each inside its own savepoint so that a failing one (a version conflict, say) undoes only its own
 * changes — then commits once and settles every promise after the commit. One fsync thus
 * acknowledges the whole group: a lone write costs one sync, a hundred concurrent writes cost one
 * sync too. Nothing is acknowledged, and nothing a read returns is released, before the commit that
 * made it durable, so callers only ever observe committed state.
 *
 * Every multi-statement operation is atomic (its savepoint), and a transaction is never held open
 * across an `await`, so instances sharing the file in one process never deadlock each other.
 */
export class SqliteExecutor {
  private pending: PendingOp[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private changed = false;
  private readonly stmts: {
    readonly beginWrite: Database.Statement;
    readonly beginRead: Database.Statement;
    readonly commit: Database.Statement;
    readonly rollback: Database.Statement;
    readonly savepoint: Database.Statement;
    readonly release: Database.Statement;
    readonly rollbackTo: Database.Statement;
  };

  constructor(
    private readonly db: Database.Database,
    /** Called after a commit in which an operation called {@link markChanged}. */
    private readonly onChange: () => void,
  ) {
    this.stmts = {
      beginWrite: db.prepare('BEGIN IMMEDIATE'),
      beginRead: db.prepare('BEGIN DEFERRED'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT stateproof_op'),
      release: db.prepare('RELEASE stateproof_op'),
      rollbackTo: db.prepare('ROLLBACK TO stateproof_op'),
    };
  }

  /** Runs a read-only operation in a consistent snapshot. */
  read<T>(fn: () => T): Promise<T> {
    return this.enqueue(false, fn);
  }

  /** Runs a writing operation atomically; resolves only after its transaction is committed. */
  write<T>(fn: () => T): Promise<T> {
    return this.enqueue(true, fn);
  }

  /** Called by an operation whose commit subscribers must hear about (log appends, dataspace changes, channel messages). */
  markChanged(): void {
    this.changed = true;
  }

  /** Runs whatever is queued now, synchronously (before the connection closes). */
  drain(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    while (this.pending.length > 0) this.flush();
  }

  private enqueue<T>(write: boolean, fn: () => T): Promise<T> {
    // Core refuses operations after close; this catches one that was already on its way (a
    // subscription's next read, say) once the connection is gone, before better-sqlite3 would throw.
    if (!this.db.open) return Promise.reject(new ClosedError('sqlite adapter'));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ write, fn, resolve: resolve as (v: unknown) => void, reject });
      // setImmediate, not a microtask: operations reach the store after a few awaits in core, and
      // all of them that a caller started together should share the commit.
      this.scheduled ??= setImmediate(() => {
        this.scheduled = undefined;
        this.flush();
      });
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const writes = batch.some((op) => op.write);
    this.changed = false;
    const fail = (error: unknown, where: string) => {
      const mapped = mapSqliteError(error, where);
      for (const op of batch) op.reject(mapped);
    };
    try {
      (writes ? this.stmts.beginWrite : this.stmts.beginRead).run();
    } catch (error) {
      fail(error, writes ? 'cannot start a write transaction' : 'cannot start a read transaction');
      return;
    }
    const single = batch.length === 1;
    const results: Settled[] = [];
    for (const op of batch) {
      try {
        if (!single) this.stmts.savepoint.run();
        const value = op.fn();
        if (!single) this.stmts.release.run();
        results.push({ ok: true, value });
      } catch (error) {
        if (!this.db.inTransaction) {
          // SQLite rolled the whole transaction back itself (a full disk, an I/O error): every
          // operation of the group is undone, so none may be acknowledged.
          fail(error, 'the transaction was rolled back');
          return;
        }
        try {
          if (single) this.stmts.rollback.run();
          else {
            this.stmts.rollbackTo.run();
            this.stmts.release.run();
          }
        } catch (undo) {
          this.abort();
          fail(undo, 'cannot roll an operation back');
          return;
        }
        if (single) {
          op.reject(mapSqliteError(error, 'operation failed'));
          return;
        }
        results.push({ ok: false, error: mapSqliteError(error, 'operation failed') });
      }
    }
    try {
      this.stmts.commit.run();
    } catch (error) {
      this.abort();
      fail(error, 'commit failed');
      return;
    }
    if (writes && this.changed) this.onChange();
    batch.forEach((op, i) => {
      const r = results[i] as Settled;
      if (r.ok) op.resolve(r.value);
      else op.reject(r.error);
    });
  }

  private abort(): void {
    try {
      if (this.db.inTransaction) this.stmts.rollback.run();
    } catch {
      // The connection is unusable; the next operation fails with a mapped error of its own.
    }
  }
}
