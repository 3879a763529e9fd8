import type { Client } from 'pg';
import { ClosedError } from '@stateproof/core/adapter-kit';
import { toStateproofError } from '../db/pg-errors.js';
import { backendPid } from '../db/pg-client.js';
import { quoteIdentifier } from '../db/sql-names.js';

/**
 * What a listener receives: a notification's payload, or null after the connection was lost and
 * re-established (notifications sent meanwhile are gone, so the receiver should look for itself).
 */
export type NotificationHandler = (payload: string | null) => void;

/** A registration made by {@link PgListener.listen}. */
export interface Listening {
  /** Resolves once LISTEN is active on the current connection; rejects when it cannot be made now (the listener keeps retrying). */
  readonly ready: Promise<void>;
  /** Stops delivering to this handler (UNLISTEN when it was the channel's last one). */
  close(): void;
}

interface Connection {
  readonly client: Client;
  /** LISTEN issued on this connection, per channel. */
  readonly listening: Map<string, Promise<void>>;
}

const MAX_RETRY_MS = 2000;

/**
 * The one LISTEN connection of an adapter instance, outside the pool (a pooled connection would
 * lose its LISTENs when returned). Notifications are only wake-up hints: every receiver also polls.
 * When the connection drops (a restart, pg_terminate_backend, a network cut) the listener reconnects
 * with backoff, LISTENs again on every channel still wanted, and then calls every handler with null
 * so that nothing waits on a notification that was lost in between.
 */
export class PgListener {
  private conn: Connection | undefined;
  private connecting: Promise<Connection> | undefined;
  private readonly handlers = new Map<string, Set<NotificationHandler>>();
  private closed = false;
  private retryMs = 0;
  private timer: NodeJS.Timeout | undefined;
  /**
   * Notifications that arrive while a reconnection's LISTENs are still answering: held back until
   * every handler has heard of the reconnection (null), so that a channel reports its gap before
   * what came after it.
   */
  private held: Array<{ channel: string; payload: string }> | undefined;
  /** Successful reconnections after a drop (for tests and metrics). */
  reconnects = 0;

  /** @internal */
  constructor(private readonly newClient: () => Client) {}

  /** Backend process id of the LISTEN connection, when connected (what pg_terminate_backend takes). */
  get pid(): number | undefined {
    return this.conn ? backendPid(this.conn.client) : undefined;
  }

  /** True while a LISTEN connection is up. */
  get connected(): boolean {
    return this.conn !== undefined;
  }

  /** Delivers every notification on `channel` to `handler` until closed. */
  listen(channel: string, handler: NotificationHandler): Listening {
    if (this.closed) throw new ClosedError('Postgres listener');
    let set = this.handlers.get(channel);
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    const ready = this.ensureListening(channel);
    ready.catch(() => this.scheduleReconnect());
    return {
      ready,
      close: () => {
        const s = this.handlers.get(channel);
        if (!s?.delete(handler) || s.size > 0) return;
        this.handlers.delete(channel);
        const conn = this.conn;
        if (conn?.listening.delete(channel))
          conn.client.query(`unlisten ${quoteIdentifier(channel)}`).catch(() => undefined);
      },
    };
  }

  /**
   * Resolves once LISTEN on `channel` is active on the current connection (connecting if needed);
   * rejects with STATEPROOF_BACKEND_UNAVAILABLE when the server cannot be reached right now.
   */
  ready(channel: string): Promise<void> {
    return this.ensureListening(channel);
  }

  /**
   * A round trip on the LISTEN connection. Postgres sends a notification committed before a command
   * ahead of that command's ReadyForQuery, on the same socket: once this resolves, every such
   * notification has been handed to the handlers. A subscriber that starts listening after it sees
   * only what was committed after it (a channel must not replay what came before).
   */
  async sync(): Promise<void> {
    const conn = await this.connection();
    try {
      await conn.client.query('select 1');
    } catch (error) {
      throw toStateproofError(error, 'LISTEN connection');
    }
  }

  /** Ends the connection and stops reconnecting. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.handlers.clear();
    const conn = this.conn ?? (await this.connecting?.catch(() => undefined));
    this.conn = undefined;
    await conn?.client.end().catch(() => undefined);
  }

  private ensureListening(channel: string): Promise<void> {
    return this.connection().then((conn) => {
      let p = conn.listening.get(channel);
      if (!p) {
        p = conn.client.query(`listen ${quoteIdentifier(channel)}`).then(() => undefined);
        conn.listening.set(channel, p);
        p.catch(() => conn.listening.get(channel) === p && conn.listening.delete(channel));
      }
      return p;
    });
  }

  private connection(): Promise<Connection> {
    if (this.closed) return Promise.reject(new ClosedError('Postgres listener'));
    if (this.conn) return Promise.resolve(this.conn);
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<Connection> {
    const client = this.newClient();
    client.on('error', () => this.dropped(client));
    client.on('end', () => this.dropped(client));
    client.on('notification', (n) => this.deliver(n.channel, n.payload ?? ''));
    try {
      await client.connect();
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw toStateproofError(error, 'opening the LISTEN connection');
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      throw new ClosedError('Postgres listener');
    }
    const conn: Connection = { client, listening: new Map() };
    this.conn = conn;
    return conn;
  }

  private deliver(channel: string, payload: string): void {
    if (this.held) {
      this.held.push({ channel, payload });
      return;
    }
    for (const h of [...(this.handlers.get(channel) ?? [])]) {
      try {
        h(payload);
      } catch {
        // A handler's failure is its own; the others still get the notification.
      }
    }
  }

  private dropped(client: Client): void {
    if (this.conn?.client !== client) return;
    this.conn = undefined;
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.timer || this.conn || this.handlers.size === 0) return;
    this.timer = setTimeout(() => void this.reconnect(), this.retryMs);
    this.timer.unref();
  }

  private async reconnect(): Promise<void> {
    this.timer = undefined;
    if (this.closed || this.conn) return;
    this.held ??= [];
    try {
      await Promise.all([...this.handlers.keys()].map((c) => this.ensureListening(c)));
      this.retryMs = 0;
      this.reconnects++;
      for (const set of [...this.handlers.values()]) {
        for (const h of [...set]) {
          try {
            h(null);
          } catch {
            // As above.
          }
        }
      }
      const held = this.held ?? [];
      this.held = undefined;
      for (const n of held) this.deliver(n.channel, n.payload);
    } catch {
      // What arrived on a connection that failed again is handed out: the next reconnection says null anyway.
      const held = this.held ?? [];
      this.held = undefined;
      for (const n of held) this.deliver(n.channel, n.payload);
      this.retryMs = Math.min(MAX_RETRY_MS, Math.max(20, this.retryMs * 2));
      const conn = this.conn as Connection | undefined;
      if (conn) this.dropped(conn.client);
      else this.scheduleReconnect();
    }
  }
}
