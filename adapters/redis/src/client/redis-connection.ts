import { Redis, type RedisOptions } from 'ioredis';
import { BackendUnavailableError, redactUrl } from '@stateproof/core/adapter-kit';
import type { LuaScript } from './lua-script.js';
import { failureKind, toStateproofError } from './redis-errors.js';

/** Settings of one connection. */
export interface RedisConnectionSettings {
  readonly url: string;
  /** CLIENT SETNAME, so that an operator (and the fault hooks) can tell stateproof's connections apart. */
  readonly name: string;
  readonly connectTimeoutMs: number;
  /** How long a command may wait for its reply before it counts as lost (none for blocking reads). */
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
    ...(settings.commandTimeoutMs === undefined ? {} : { commandTimeout: settings.commandTimeoutMs }),
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
  readonly client: Redis;
  private closed = false;
  private lastError: string | undefined;

  constructor(readonly settings: RedisConnectionSettings) {
    this.client = new Redis(driverUrl(settings.url), safeRedisOptions(settings));
    // Connection errors reach the commands that were hit; the event only keeps the last for messages.
    this.client.on('error', (error: Error) => {
      this.lastError = error.message;
    });
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
    return this.client.evalsha(script.sha, keys.length, ...keys, ...args).catch((error: unknown) => {
      if (!/^NOSCRIPT/.test((error as Error).message ?? '')) throw error;
      return this.client.eval(script.lua, keys.length, ...keys, ...args);
    });
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
    this.client.disconnect(false);
  }
}

/** The URL as ioredis takes it: a unix socket (`unix:///path?db=1`) as its bare path. */
export function driverUrl(url: string): string {
  if (!url.startsWith('unix:')) return url;
  const u = new URL(url);
  return `${decodeURIComponent(u.pathname)}${u.search}`;
}
