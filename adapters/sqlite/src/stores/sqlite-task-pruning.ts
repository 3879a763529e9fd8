import type Database from 'better-sqlite3';
import { finishedRetentionCutoff, type QueueBinding } from '@stateproof/core/adapter-kit';
import { FINISHED_STATES } from '../schema/namespace-schema-v3.js';
import type { StoreContext } from './store-context.js';

/**
 * Retention of a queue surface's finished tasks in SQLite (spec/contract/queue.md QUE-037, QUE-038).
 * A finished task is one row with its history, result and idempotency key (the unique index on
 * `(space, idempotency_key)`), so deleting the row frees the key with it. The counters of finished
 * tasks and lost attempts are durable counters bumped at each transition (counters.ts), never
 * counts of rows, so pruning leaves them as they are; ids come from the namespace-wide counter and
 * are never handed out again.
 */
export class SqliteTaskPruning {
  private readonly due: Database.Statement;

  /**
   * `instant` is the column the window counts from: when the task finished (QUE-037). A seam for the
   * conformance mutants only.
   */
  constructor(
    private readonly ctx: StoreContext,
    private readonly binding: QueueBinding,
    instant: 'finished_at' | 'enqueued_at' = 'finished_at',
  ) {
    const t = ctx.tables.tasks;
    // The subquery walks the partial index `<tasks>_finished` (space, finished_at): its condition
    // is repeated verbatim, and the oldest go first.
    this.due = ctx.sql.get(
      `DELETE FROM ${t} WHERE space = :space AND id IN (
         SELECT id FROM ${t} WHERE space = :space AND state IN ${FINISHED_STATES} AND ${instant} <= :cutoff
         ORDER BY ${instant} LIMIT :limit)`,
    );
  }

  /**
   * Deletes at most `limit` tasks of the surface that finished at or before now − `finishedMs` by
   * the adapter's clock, in one short write transaction; returns how many went.
   */
  prune(limit: number): Promise<number> {
    if (limit <= 0) return Promise.resolve(0);
    return this.ctx.exec.write(() => {
      const cutoff = finishedRetentionCutoff(this.ctx.clock.now(), this.binding.retention.finishedMs);
      return this.due.run({ space: this.binding.space, cutoff, limit }).changes;
    });
  }
}
