import type { BeforeLeaseJudgement, LeaseJudgedWrite } from '@stateproof/core/adapter-kit';
import type { PgDatabase, QueryOptions, Row } from '../db/pg-database.js';

/** Runs one statement of a lease-judged write, on whichever connection the write uses. */
export type LeaseJudgedRunner = (sql: string, params: readonly unknown[]) => Promise<Row[]>;

/** A lease-judged write: the row it locks, and the statements that judge the lease by NOW and write. */
export interface LeaseJudgedSpec<T> {
  readonly what: string;
  readonly write: LeaseJudgedWrite;
  /** `select 1 ... for update` of the row the write changes (used only with the test seam). */
  readonly lock: { readonly sql: string; readonly params: readonly unknown[] };
  readonly judge: (run: LeaseJudgedRunner) => Promise<T>;
  readonly options?: QueryOptions;
}

/**
 * Runs a write whose statements judge a lease by NOW, that is by `clock_timestamp()` as they run,
 * never by a time read earlier. In production each statement runs on its own. With the test seam
 * `beforeLeaseJudgement` (AdapterTestHooks) the same statements run in a transaction that first
 * locks the row and then awaits the seam, so that a test can make the lease expire between the lock
 * and the judgement, as a lock wait would (CLM-007, QUE-010); with an injected clock NOW is then
 * read again, since the seam may have moved it.
 */
export async function leaseJudged<T>(
  db: PgDatabase,
  hook: BeforeLeaseJudgement | undefined,
  spec: LeaseJudgedSpec<T>,
): Promise<T> {
  if (!hook) return spec.judge((sql, params) => db.query(spec.what, sql, params, spec.options));
  return db.transaction(spec.what, async (tx) => {
    await tx.query(spec.lock.sql, spec.lock.params);
    await hook(spec.write);
    await tx.readClockAgain();
    return spec.judge((sql, params) => tx.query(sql, params));
  });
}
