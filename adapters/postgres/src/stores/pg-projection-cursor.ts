import { projectionConflict, type ProjectionCommit } from '@stateproof/core/adapter-kit';
import type { PgDatabase, PgTransaction } from '../db/pg-database.js';

/**
 * The committed cursor of a derived projection (spec/contract/classes.md, PRJ-003): one row of
 * `projections` per projection surface. A projection commit runs in one transaction that first
 * takes this row's lock and checks it, so the writes and the new cursor commit together or not at
 * all, and two projectors of one projection (in any processes) serialise on the row: the second
 * waits, then reads the cursor the first committed and gets the conflict, having written nothing.
 */
export class PgProjectionCursor {
  constructor(
    private readonly db: PgDatabase,
    private readonly s: string,
  ) {}

  /** The committed cursor of the projection in `space` (0 before its first commit). */
  async read(space: number): Promise<number> {
    const rows = await this.db.query(
      'reading a projection cursor',
      `select cursor from ${this.s}.projections where space_id = $1`,
      [space],
      { idempotent: true },
    );
    return rows[0] ? Number(rows[0]['cursor']) : 0;
  }

  /**
   * Inside the commit's transaction, before any write: locks the cursor row (creating it at 0 the
   * first time) and throws ProjectionConflictError unless it holds `commit.from`. The lock is held
   * to the commit, so no other projector moves the cursor in between.
   */
  async claim(tx: PgTransaction, surfaceId: string, space: number, commit: ProjectionCommit): Promise<void> {
    // The insert waits for a concurrent one of the same row to end; then the locking read sees the committed row.
    await tx.query(
      `insert into ${this.s}.projections (space_id, cursor) values ($1, 0) on conflict (space_id) do nothing`,
      [space],
    );
    const rows = await tx.query(`select cursor from ${this.s}.projections where space_id = $1 for update`, [space]);
    const conflict = projectionConflict(surfaceId, commit, Number(rows[0]?.['cursor'] ?? 0));
    if (conflict) throw conflict;
  }

  /** The last statement of a commit: the cursor after its batch. */
  async set(tx: PgTransaction, space: number, to: number): Promise<void> {
    await tx.query(`update ${this.s}.projections set cursor = $2 where space_id = $1`, [space, to]);
  }
}
