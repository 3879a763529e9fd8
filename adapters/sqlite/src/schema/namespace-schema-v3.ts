import type Database from 'better-sqlite3';
import type { NamespaceTables } from './namespace-tables.js';

/** The states of a finished task (QUE-037): the only ones retention may prune. */
export const FINISHED_STATES = `('succeeded', 'failed', 'canceled')`;

/** The states of an ended dataspace session (DSP-025): the only ones retention may prune. */
export const ENDED_SESSION_STATES = `('closed', 'expired')`;

/**
 * Version 3 of a namespace's tables: retention of finished work (spec/contract/queue.md QUE-037,
 * QUE-038; dataspace.md DSP-025). A task records when it finished (`finished_at`, by the adapter's
 * clock, set by every terminal transition; see {@link backfillFinishedAt} for older rows), and two
 * partial indexes serve the prune scans: finished tasks by finish instant, ended sessions by lease
 * end. The index conditions are repeated verbatim by the prune statements, which SQLite needs to
 * use a partial index. Safe to apply again to tables that already have it.
 */
export function applyNamespaceSchemaV3(db: Database.Database, t: NamespaceTables, now: number): void {
  const columns = db.prepare(`SELECT name FROM pragma_table_info(?)`).all(t.tasks) as Array<{ name: string }>;
  if (!columns.some((c) => c.name === 'finished_at')) {
    db.exec(`ALTER TABLE ${t.tasks} ADD COLUMN finished_at INTEGER`);
    backfillFinishedAt(db, t, now);
  }
  db.exec(`
CREATE INDEX IF NOT EXISTS ${t.tasks}_finished ON ${t.tasks} (space, finished_at) WHERE state IN ${FINISHED_STATES};
CREATE INDEX IF NOT EXISTS ${t.sessions}_ended ON ${t.sessions} (space, expires_at) WHERE state IN ${ENDED_SESSION_STATES};
`);
}

/**
 * Gives the tasks that finished before version 3 a finish instant, never earlier than the true one
 * (so none is pruned before its window ends, QUE-037): a succeeded or failed task, and one canceled
 * by acknowledging a cancel request, finished when its last attempt ended; any other canceled task
 * (canceled while queued, or reaped with a request pending) and a task without a recorded attempt get
 * the migration's instant `now`, which only keeps them a little longer.
 */
export function backfillFinishedAt(db: Database.Database, t: NamespaceTables, now: number): void {
  db.prepare(
    `UPDATE ${t.tasks} SET finished_at = CASE
       WHEN state IN ('succeeded', 'failed') OR json_extract(history, '$[#-1].outcome') = 'canceled'
         THEN coalesce(json_extract(history, '$[#-1].endedAt'), :now)
       ELSE :now END
     WHERE state IN ${FINISHED_STATES}`,
  ).run({ now });
}
