import type Database from 'better-sqlite3';

/**
 * Prepared statements of one connection, prepared once per SQL text. Table names in the SQL come from
 * {@link NamespaceTables} (derived, never user input); every value is a bound parameter.
 */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  /** The prepared statement for `sql`. */
  get(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }
}
