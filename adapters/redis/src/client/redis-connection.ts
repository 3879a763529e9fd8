import { Redis, type RedisOptions } from 'ioredis';
import { BackendUnavailableError, redactUrl } from '@stateproof/core/adapter-kit';
import type { LuaScript } from './lua-script.js';
import { failureKind, toStateproofError } from './redis-errors.js';

/** Settings of one connection. */
export interface RedisConnectionSettings {
  /** Connection URL. */
  readonly url: string;
  /** CLIENT SETNAME, so that an operator (and the fault hooks) can tell stateproof's connections apart. */
  readonly name: string;
  /** How long to wait for a connection, in ms. */
  readonly connectTimeoutMs: number;
  /**
   * How long a script may wait for its reply before the connection counts as stuck: it is dropped
   * and made again, and every call in flight fails as a lost reply (none for blocking reads).
   */
  readonly commandTimeoutMs?: number;
}

/**
 * The ioredis settings that make a lost reply visible instead of hidden (see
 * shared notes on ioredis): a command issued while the connection is down fails at once and was
 * never sent (`enableOfflineQueue: false`); a command in flight when the socket closes is rejected
 * rather than sent again on the next connection (`maxRetriesPerRequest: 0`,
 * `autoResendUnfulfilledCommands: false`), since a write whose reply was lost must not silently run
 * twice. Reconnection itself goes on forever, backing off to one second.
 */
export function safeRedisOptions(settings: RedisConnectionSettings): RedisOptions {
  return {
    lazyConnect: true,
    connectionName: settings.name,
    connectTimeout: settings.connectTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    autoResubscribe: false,
    enableReadyCheck: true,
    retryStrategy: (times: number) => Math.min(25 * 2 ** Math.min(times, 6), 1000),
  };
}

/**
 * One connection to Redis, with the scripts of the library run through EVALSHA and, when the
 * server answers NOSCRIPT (always after a restart: the script cache is not persisted), through
 * EVAL, which loads it. NOSCRIPT means nothing ran, so falling back is safe.
 */
export class RedisConnection {
  /** The ioredis client. */
  readonly client: Redis;
  private closed = false;
  private lastError: string | undefined;
  /**
   * When the scripts in flight were sent, oldest first (`sent[head]`). Replies come in the order the
   * scripts were sent, so each settled call takes the oldest entry off; a call refused before it was
   * sent may take another's, which only shifts the oldest time by the moments between them.
   */
  private sent: number[] = [];
  private head = 0;
  private readonly watchdog: NodeJS.Timeout | undefined;
  /** Connections dropped because a reply took longer than `commandTimeoutMs` (for tests and metrics). */
  timeouts = 0;

  /** A command connection with `settings`. */
  constructor(
    /** The settings it was made with. */
    readonly settings: RedisConnectionSettings,
  ) {
    this.client = new Redis(driverUrl(settings.url), safeRedisOptions(settings));
    // Connection errors reach the commands that were hit; the event only keeps the last for messages.
    this.client.on('error', (error: Error) => {
      this.lastError = error.message;
    });
    // One timer per connection rather than one per command (ioredis's commandTimeout arms a timer
    // for every call): replies come in order, so when the oldest is late the connection is stuck,
    // and dropping it fails every call in flight as a lost reply, which the script runner retries
    // under the same operation ids on a fresh connection.
    const limit = settings.commandTimeoutMs;
    if (limit !== undefined) {
      this.watchdog = setInterval(() => this.checkLate(limit), Math.max(5, Math.min(1000, Math.floor(limit / 4))));
      this.watchdog.unref();
    }
  }

  private checkLate(limit: number): void {
    const oldest = this.sent[this.head];
    if (oldest === undefined || Date.now() - oldest <= limit || this.closed) return;
    this.timeouts++;
    this.lastError = `no reply within ${limit} ms`;
    this.sent = [];
    this.head = 0;
    this.client.disconnect(true);
  }

  /** One call settled: the oldest entry goes (see `sent`). */
  private settled(): void {
    if (this.head >= this.sent.length) return;
    this.head++;
    if (this.head === this.sent.length) {
      this.sent.length = 0;
      this.head = 0;
    } else if (this.head > 4096) {
      this.sent = this.sent.slice(this.head);
      this.head = 0;
    }
  }

  /** True once {@link close} was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Resolves when the connection is ready for commands, connecting on first use; rejects with
   * STATEPROOF_BACKEND_UNAVAILABLE when it is not ready within `timeoutMs`.
   */
  async ready(timeoutMs = this.settings.connectTimeoutMs): Promise<void> {
    const c = this.client;
    if (c.status === 'ready') return;
    if (this.closed) throw new BackendUnavailableError('the Redis connection is closed', { retryable: false });
    if (c.status === 'wait') c.connect().catch(() => undefined);
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        c.off('ready', onReady);
        c.off('end', onEnd);
        if (error) reject(error);
        else resolve();
      };
      const onReady = () => done();
      const onEnd = () => done(new BackendUnavailableError('the Redis connection ended', { retryable: false }));
      const timer = setTimeout(
        () =>
          done(
            new BackendUnavailableError(
              `Redis at ${redactUrl(this.settings.url)} did not answer within ${timeoutMs} ms${this.lastError ? ` (${this.lastError})` : ''}`,
              { hint: 'Check that the server is running and reachable (redis-cli -u URL ping), then retry.' },
            ),
          ),
        timeoutMs,
      );
      c.on('ready', onReady);
      c.on('end', onEnd);
      if (c.status === 'ready') done();
    });
  }

  /**
   * Runs `script` with EVALSHA, loading it with EVAL when the server does not know it. Not an async
   * function: every operation of the adapter passes here, and a `.catch` on the driver's promise is
   * one promise and one turn fewer than an awaiting frame.
   */
  evalScript(script: LuaScript, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    this.sent.push(Date.now());
    return this.client.evalsha(script.sha, keys.length, ...keys, ...args).then(
      (reply: unknown) => {
        this.settled();
        return reply;
      },
      (error: unknown) => {
        this.settled();
        if (!/^NOSCRIPT/.test((error as Error).message ?? '')) throw error;
        return this.client.eval(script.lua, keys.length, ...keys, ...args);
      },
    );
  }

  /** The server's id of this connection (CLIENT ID), or undefined while it is not connected. */
  async clientId(): Promise<string | undefined> {
    if (this.client.status !== 'ready') return undefined;
    try {
      return String(await this.client.client('ID'));
    } catch (error) {
      if (failureKind(error) !== 'refused') return undefined;
      throw toStateproofError(error, 'reading the connection id');
    }
  }

  /** Closes the connection at once (commands in flight fail). Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    this.client.disconnect(false);
  }
}

/** The URL as ioredis takes it: a unix socket (`unix:///path?db=1`) as its bare path. */
export function driverUrl(url: string): string {
  if (!url.startsWith('unix:')) return url;
  const u = new URL(url);
  return `${decodeURIComponent(u.pathname)}${u.search}`;
}
