import type { Client, ClientConfig, QueryConfig, QueryResultRow } from 'pg';
import { backendPid, newClient } from './pg-client.js';

/** A connection checked out of a {@link ConnectionPool}; release it exactly once. */
export interface PooledConnection {
  /** The connection's client. */
  readonly client: Client;
  /** Returns the connection; with an error (its connection broke) it is closed instead. */
  release(error?: unknown): void;
}

interface Waiter {
  resolve(c: PooledConnection): void;
  reject(e: unknown): void;
  timer: NodeJS.Timeout;
}

/**
 * A small pool of pg clients, one per adapter instance (so two instances are two processes to the
 * server). It hands out idle connections, opens new ones up to `max`, queues callers beyond that
 * (failing them after the connect timeout), closes connections that broke or idled too long, and
 * never lets an idle connection's error (a restart, pg_terminate_backend) escape as an
 * unhandled 'error' event.
 */
export class ConnectionPool {
  private readonly idle: Client[] = [];
  private readonly all = new Set<Client>();
  private readonly broken = new WeakSet<Client>();
  private readonly idleTimers = new WeakMap<Client, NodeJS.Timeout>();
  private readonly waiters: Waiter[] = [];
  private opening = 0;
  private ending: Promise<void> | undefined;
  private closing = false;
  private drained: (() => void) | undefined;

  constructor(
    private readonly config: ClientConfig,
    private readonly max: number,
    private readonly idleTimeoutMs: number,
    private readonly waitTimeoutMs: number,
  ) {}

  /** Backend process ids of every open connection. */
  pids(): number[] {
    return [...this.all].map(backendPid).filter((p): p is number => p !== undefined);
  }

  /** An idle connection, a new one, or the next one released. */
  async connect(): Promise<PooledConnection> {
    if (this.closing) throw new Error('Cannot use a pool after calling end on the pool');
    for (let c = this.idle.pop(); c; c = this.idle.pop()) {
      clearTimeout(this.idleTimers.get(c));
      if (!this.broken.has(c)) return this.wrap(c);
      this.destroy(c);
    }
    if (this.all.size + this.opening < this.max) return this.wrap(await this.open());
    return new Promise<PooledConnection>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(
            new Error(
              `timeout expired waiting ${this.waitTimeoutMs} ms for a free connection (all ${this.max} are busy)`,
            ),
          );
        }, this.waitTimeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Runs one statement on a pooled connection. */
  async query<R extends QueryResultRow>(query: string | QueryConfig, params?: unknown[]): Promise<R[]> {
    const c = await this.connect();
    try {
      const result =
        typeof query === 'string' ? await c.client.query<R>(query, params) : await c.client.query<R>(query);
      c.release();
      return result.rows;
    } catch (error) {
      c.release(error);
      throw error;
    }
  }

  /**
   * Closes every connection: idle ones now, busy ones when released, or after `graceMs` however busy
   * (a statement stuck behind a lock must not keep close() waiting forever). Resolves when all are closed.
   */
  end(graceMs = 2000): Promise<void> {
    this.ending ??= new Promise<void>((resolve) => {
      this.closing = true;
      this.drained = resolve;
      setTimeout(() => {
        for (const c of [...this.all]) {
          this.all.delete(c);
          c.end().catch(() => undefined);
        }
        this.checkDrained();
      }, graceMs).unref();
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(new Error('Cannot use a pool after calling end on the pool'));
      }
      for (const c of this.idle.splice(0)) this.destroy(c);
      this.checkDrained();
    });
    return this.ending;
  }

  private checkDrained(): void {
    if (this.closing && this.all.size === 0 && this.opening === 0) this.drained?.();
  }

  private async open(): Promise<Client> {
    this.opening++;
    const client = newClient(this.config);
    client.on('error', () => this.broken.add(client));
    client.on('end', () => {
      this.broken.add(client);
      const i = this.idle.indexOf(client);
      if (i >= 0) this.destroy(this.idle.splice(i, 1)[0] as Client);
    });
    try {
      await client.connect();
      this.all.add(client);
      return client;
    } catch (error) {
      client.end().catch(() => undefined);
      throw error;
    } finally {
      this.opening--;
      this.checkDrained();
    }
  }

  private wrap(client: Client): PooledConnection {
    let released = false;
    return {
      client,
      release: (error?: unknown) => {
        if (released) return;
        released = true;
        if (error !== undefined || this.broken.has(client) || this.closing) this.destroy(client);
        else this.giveBack(client);
      },
    };
  }

  private giveBack(client: Client): void {
    const w = this.waiters.shift();
    if (w) {
      clearTimeout(w.timer);
      w.resolve(this.wrap(client));
      return;
    }
    this.idle.push(client);
    const timer = setTimeout(() => {
      const i = this.idle.indexOf(client);
      if (i >= 0) this.destroy(this.idle.splice(i, 1)[0] as Client);
    }, this.idleTimeoutMs);
    timer.unref();
    this.idleTimers.set(client, timer);
  }

  private destroy(client: Client): void {
    clearTimeout(this.idleTimers.get(client));
    if (this.all.delete(client)) client.end().catch(() => undefined);
    // A slot is free: a waiter gets a new connection.
    const w = this.waiters.shift();
    if (w && !this.closing) {
      clearTimeout(w.timer);
      this.open().then((c) => w.resolve(this.wrap(c)), w.reject);
    }
    this.checkDrained();
  }
}
