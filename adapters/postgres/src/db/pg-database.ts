import { createHash } from 'node:crypto';
import type { Client, QueryConfig } from 'pg';
import { ClosedError, type AdapterLifecycle, type Clock } from '@stateproof/core/adapter-kit';
import type { ConnectionPool, PooledConnection } from './connection-pool.js';
import { isConnectionError, isTransient, toStateproofError } from './pg-errors.js';
import { CLOCK_SETTING } from './server-time.js';

/** A row as the driver returns it. */
export type Row = Record<string, unknown>;

/** Runs one parameterised statement. */
export interface Queryable {
  query<R = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/** The connection of a transaction. */
export interface PgTransaction extends Queryable {
  /** With an injected clock, makes NOW read the clock as it is now (a transaction reads it once, at begin). */
  readClockAgain(): Promise<void>;
}

/** Options of {@link PgDatabase.query}. */
export interface QueryOptions {
  /**
   * The statement changes nothing (or changes nothing when repeated), so it may run again on a fresh
   * connection when the first one turns out to be dead. Writes never do: their outcome is unknown.
   */
  readonly idempotent?: boolean;
  /**
   * Prepare the statement once per connection (a named statement) instead of parsing and planning
   * it at every call: for the hot statements of the queue, where planning costs more than running.
   * The statement must plan well for any parameters (Postgres may switch to a generic plan).
   */
  readonly prepare?: boolean;
}

/** Names of prepared statements, by text: a hash, so that one name always means one text. */
const statementNames = new Map<string, string>();

function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    // A cache of hashes, not of statements: forgetting them costs only hashing again.
    if (statementNames.size >= 1000) statementNames.clear();
    name = `stateproof_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`;
    statementNames.set(sql, name);
  }
  return name;
}

/** Rounds a transaction is retried after a serialisation failure or deadlock before giving up. */
const TRANSACTION_ATTEMPTS = 5;

/**
 * The pool of one adapter instance, with the two things every store needs: single statements and
 * transactions, turning driver errors into typed ones. Instances never share a pool, so two
 * adapters behave as two processes. With an injected clock (tests only), each statement first sets
 * the clock's reading for the SQL to see (see NOW); without one, statements go straight to the pool.
 */
export class PgDatabase {
  constructor(
    private readonly pool: ConnectionPool,
    private readonly clock: Clock | undefined,
    private readonly lifecycle: AdapterLifecycle,
    /** Resolves once the schema is migrated; every statement waits for it. */
    private readonly ready: () => Promise<void>,
    /** Whether statements asked to be prepared are (see {@link QueryOptions.prepare}). */
    private readonly prepared = true,
  ) {}

  /** Makes the injected clock's reading what NOW says on this connection. */
  private async setClock(client: Client, local: boolean): Promise<void> {
    if (this.clock)
      await client.query('select set_config($1, $2, $3)', [CLOCK_SETTING, String(this.clock.now()), local]);
  }

  private async run<R>(sql: string, params: readonly unknown[], prepare: boolean): Promise<R[]> {
    const named: QueryConfig | undefined = prepare
      ? { name: statementName(sql), text: sql, values: params as unknown[] }
      : undefined;
    if (!this.clock) return (await (named ? this.pool.query(named) : this.pool.query(sql, params as unknown[]))) as R[];
    const c = await this.pool.connect();
    try {
      await this.setClock(c.client, false);
      const rows = (await (named ? c.client.query(named) : c.client.query(sql, params as unknown[]))).rows as R[];
      c.release();
      return rows;
    } catch (error) {
      c.release(isConnectionError(error) ? error : undefined);
      throw error;
    }
  }

  /** Runs one statement in its own implicit transaction. */
  async query<R = Row>(
    what: string,
    sql: string,
    params: readonly unknown[] = [],
    options: QueryOptions = {},
  ): Promise<R[]> {
    this.lifecycle.assertOpen();
    await this.ready();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.run<R>(sql, params, this.prepared && options.prepare === true);
      } catch (error) {
        if (!this.lifecycle.isOpen) throw new ClosedError('postgres adapter');
        if (options.idempotent && attempt === 1 && isConnectionError(error)) continue;
        throw toStateproofError(error, what);
      }
    }
  }

  /**
   * Runs `fn` in a transaction on one connection: committed whole, or rolled back whole. Serialisation
   * failures and deadlocks run it again; a lost connection is STATEPROOF_BACKEND_UNAVAILABLE (the
   * server rolls back what was not committed).
   */
  async transaction<T>(what: string, fn: (tx: PgTransaction) => Promise<T>): Promise<T> {
    this.lifecycle.assertOpen();
    await this.ready();
    for (let attempt = 1; ; attempt++) {
      let c: PooledConnection;
      try {
        c = await this.pool.connect();
      } catch (error) {
        if (!this.lifecycle.isOpen) throw new ClosedError('postgres adapter');
        throw toStateproofError(error, what);
      }
      const client = c.client;
      const tx: PgTransaction = {
        query: async <R = Row>(sql: string, params: readonly unknown[] = []) =>
          (await client.query(sql, params as unknown[])).rows as R[],
        readClockAgain: () => this.setClock(client, true),
      };
      let broken: unknown;
      try {
        await client.query('begin');
        await this.setClock(client, true);
        const value = await fn(tx);
        await client.query('commit');
        return value;
      } catch (error) {
        if (isConnectionError(error)) broken = error;
        else await client.query('rollback').catch((e: unknown) => (broken = e));
        if (!broken && isTransient(error) && attempt < TRANSACTION_ATTEMPTS) continue;
        throw toStateproofError(error, what);
      } finally {
        // A client whose connection broke must not go back to the pool.
        c.release(broken);
      }
    }
  }
}
