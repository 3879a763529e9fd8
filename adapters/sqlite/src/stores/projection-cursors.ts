import type Database from 'better-sqlite3';
import { projectionConflict, type ProjectionCommit } from '@stateproof/core/adapter-kit';
import type { StatementCache } from '../database/statement-cache.js';
import type { NamespaceTables } from '../schema/namespace-tables.js';

/**
 * The committed cursors of derived projections (spec/contract/classes.md, PRJ-003), one row per
 * surface space. Both methods run inside the executor's write (or read) transaction of the store
 * that calls them, so the compare-and-set, the projection's writes and the new cursor commit
 * together or not at all: `BEGIN IMMEDIATE` holds the file's write lock for the whole step, which
 * is what serialises two projectors, in one process or in several.
 */
export class ProjectionCursors {
  private readonly select: Database.Statement;
  private readonly upsert: Database.Statement;

  constructor(sql: StatementCache, tables: NamespaceTables) {
    this.select = sql.get(`SELECT cursor FROM ${tables.projections} WHERE space = ?`);
    this.upsert = sql.get(
      `INSERT INTO ${tables.projections} (space, cursor) VALUES (?, ?) ON CONFLICT (space) DO UPDATE SET cursor = excluded.cursor`,
    );
  }

  /** The committed cursor of the projection in `space` (0 before its first commit). */
  read(space: string): number {
    return (this.select.get(space) as { cursor: number } | undefined)?.cursor ?? 0;
  }

  /** Throws ProjectionConflictError, before anything is written, unless the committed cursor is `commit.from`. */
  check(surfaceId: string, space: string, commit: ProjectionCommit): void {
    const conflict = projectionConflict(surfaceId, commit, this.read(space));
    if (conflict) throw conflict;
  }

  /** Moves the cursor to `to`; the last statement of a projection commit. */
  set(space: string, to: number): void {
    this.upsert.run(space, to);
  }
}
