import type Database from 'better-sqlite3';
import type { StatementCache } from '../database/statement-cache.js';
import type { NamespaceTables } from '../schema/namespace-tables.js';

/**
 * Durable counters of one namespace (record versions, log-free sequences, task order, dataspace
 * revisions, ids). A counter is bumped inside the writing transaction, so a value is handed out
 * once, even across processes and crashes: it commits with the write that used it, or not at all.
 */
export class Counters {
  private readonly update: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly select: Database.Statement;

  constructor(sql: StatementCache, tables: NamespaceTables) {
    // UPDATE … RETURNING with an INSERT for a new counter: an upsert with RETURNING costs about three times as much.
    this.update = sql.get(
      `UPDATE ${tables.counters} SET value = value + ? WHERE space = ? AND name = ? RETURNING value`,
    );
    this.insert = sql.get(`INSERT INTO ${tables.counters} (space, name, value) VALUES (?, ?, ?)`);
    this.select = sql.get(`SELECT value FROM ${tables.counters} WHERE space = ? AND name = ?`);
  }

  /** Adds `by` to a counter and returns its new value; counters start at 0 and never go back. */
  bump(space: string, name: string, by = 1): number {
    const row = this.update.get(by, space, name) as { value: number } | undefined;
    if (row) return row.value;
    this.insert.run(space, name, by);
    return by;
  }

  /** The current value of a counter (0 when never bumped). */
  read(space: string, name: string): number {
    return (this.select.get(space, name) as { value: number } | undefined)?.value ?? 0;
  }

  /** A new id, unique within the namespace across every surface and process (`t1`, `s2`, …). */
  nextId(prefix: string): string {
    return `${prefix}${this.bump('', 'ids').toString(36)}`;
  }
}
