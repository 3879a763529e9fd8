import type Database from 'better-sqlite3';
import { ClosedError } from '@stateproof/core/adapter-kit';
import { mapSqliteError } from './sqlite-error-mapping.js';

interface PendingOp {
  readonly write: boolean;
  /** Checks before it writes, then makes one change (one statement): nothing to undo when it fails. */
  readonly checked: boolean;
  readonly fn: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Increments of one key, applied once before the commit. */
interface Tally {
  total: number;
  readonly apply: (total: number) => void;
}

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
 * across an `await`, so instances sharing the file in one process never deadlock each other. An
 * operation that only checks before its one writing statement ({@link writeChecked}) needs no
 * savepoint, and increments that nobody reads back at once (the queue's totals) are summed over the
 * group with {@link tally} and written once, just before the commit.
 */
export class SqliteExecutor {
  private pending: PendingOp[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private changed = false;
  /** Tallies of the operations of the running group that succeeded, by key. */
  private tallies = new Map<string, Tally>();
  /** Tallies of the operation running now; kept when it succeeds, dropped when it fails. */
  private opTallies: Array<{ key: string; by: number; apply: (total: number) => void }> = [];
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

  /**
   * Runs a writing operation that is atomic without a savepoint of its own: everything that can
   * refuse it runs before its first write, and it writes with one statement (atomic by itself),
   * besides {@link tally}. A failure then has nothing to undo. Resolves after the commit.
   */
  writeChecked<T>(fn: () => T): Promise<T> {
    return this.enqueue(true, fn, true);
  }

  /**
   * Adds `by` to the tally of `key` for the running group; `apply(total)` writes the group's total
   * once, inside the transaction, just before the commit. Dropped with the operation when it fails.
   * Call only from inside an operation; {@link tallied} tells what is not yet written.
   */
  tally(key: string, by: number, apply: (total: number) => void): void {
    this.opTallies.push({ key, by, apply });
  }

  /** What the running group has tallied for `key` and not yet written (0 outside a group). */
  tallied(key: string): number {
    let n = this.tallies.get(key)?.total ?? 0;
    for (const t of this.opTallies) if (t.key === key) n += t.by;
    return n;
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

  private enqueue<T>(write: boolean, fn: () => T, checked = false): Promise<T> {
    // Core refuses operations after close; this catches one that was already on its way (a
    // subscription's next read, say) once the connection is gone, before better-sqlite3 would throw.
    if (!this.db.open) return Promise.reject(new ClosedError('sqlite adapter'));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ write, checked, fn, resolve: resolve as (v: unknown) => void, reject });
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
    this.tallies = new Map();
    this.opTallies = [];
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
      const savepoint = !single && !op.checked;
      try {
        if (savepoint) this.stmts.savepoint.run();
        const value = op.fn();
        if (savepoint) this.stmts.release.run();
        this.keepTallies();
        results.push({ ok: true, value });
      } catch (error) {
        this.opTallies = [];
        if (!this.db.inTransaction) {
          // SQLite rolled the whole transaction back itself (a full disk, an I/O error): every
          // operation of the group is undone, so none may be acknowledged.
          fail(error, 'the transaction was rolled back');
          return;
        }
        try {
          if (single) this.stmts.rollback.run();
          else if (savepoint) {
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
      for (const t of this.tallies.values()) t.apply(t.total);
      this.tallies = new Map();
    } catch (error) {
      this.abort();
      fail(error, 'cannot write the totals of the group');
      return;
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

  /** The running operation succeeded: its tallies join the group's. */
  private keepTallies(): void {
    for (const t of this.opTallies) {
      const group = this.tallies.get(t.key);
      if (group) group.total += t.by;
      else this.tallies.set(t.key, { total: t.by, apply: t.apply });
    }
    this.opTallies = [];
  }

  private abort(): void {
    try {
      if (this.db.inTransaction) this.stmts.rollback.run();
    } catch {
      // The connection is unusable; the next operation fails with a mapped error of its own.
    }
  }
}
