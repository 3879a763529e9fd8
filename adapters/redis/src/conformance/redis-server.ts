import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, type ServerControl } from '@stateproof/conformance';

/** Options of {@link RedisServer}. */
export interface RedisServerOptions {
  /** The `redis-server` binary (default $STATEPROOF_REDIS_BIN, else `redis-server` on PATH). */
  readonly binary?: string;
  /** Where the temp directory goes (default the OS temp directory). */
  readonly baseDir?: string;
  /**
   * Server settings (`--name value`) over the durable defaults: `appendonly yes`, `appendfsync
   * always`, `no-appendfsync-on-rewrite no`, `save ""`, `maxmemory-policy noeviction`. The
   * lying-probe mutant passes `appendonly: 'no'`.
   */
  readonly settings?: Readonly<Record<string, string>>;
  /** How long a start or a restart may take (default 30 s). */
  readonly timeoutMs?: number;
}

/** The durable configuration a harness-owned server runs with unless told otherwise. */
export const DURABLE_REDIS_SETTINGS: Readonly<Record<string, string>> = {
  appendonly: 'yes',
  appendfsync: 'always',
  'no-appendfsync-on-rewrite': 'no',
  save: '',
  'maxmemory-policy': 'noeviction',
};

/** Where the binary is, or why none was found. */
export function findRedisServer(binary = process.env['STATEPROOF_REDIS_BIN']):
  | {
      /** The redis-server binary. */
      path: string;
    }
  | {
      /** Why none was found. */
      missing: string;
    } {
  if (binary !== undefined) return existsSync(binary) ? { path: binary } : { missing: `no redis-server at ${binary}` };
  for (const dir of (process.env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    const path = join(dir, 'redis-server');
    if (existsSync(path)) return { path };
  }
  for (const path of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) if (existsSync(path)) return { path };
  return { missing: 'no redis-server binary (looked in $STATEPROOF_REDIS_BIN and PATH)' };
}

/** Why this machine cannot run a server of the harness's own, or undefined when it can. */
export function redisServerUnavailable(options: Pick<RedisServerOptions, 'binary'> = {}): string | undefined {
  const found = findRedisServer(options.binary);
  return 'missing' in found ? found.missing : undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A redis-server owned by the harness, for backend-crash tests and for conformance runs that need a
 * durable configuration the shared server does not have: `start()` runs `redis-server` on a free
 * port of 127.0.0.1 with its data in a new temp directory and the durable settings (AOF, fsync at
 * every write, no eviction). Never the machine's shared server.
 *
 * The server is a child of this process, in a process group of its own. `kill()` is a crash
 * (SIGKILL: nothing is flushed); `restart()` starts it again on the same directory and port (it
 * replays its append-only file) and resolves once it answers PING; `stop()` kills it and removes
 * the directory, as does this process's exit (and SIGINT or SIGTERM).
 */
export class RedisServer implements ServerControl {
  private readonly options: RedisServerOptions;
  private dir: string | undefined;
  private port: number | undefined;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private log = '';
  private starting: Promise<void> | undefined;
  private stopped = false;
  private readonly onExit = () => this.cleanupSync();
  private readonly onSignal = (sig: NodeJS.Signals) => {
    this.cleanupSync();
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    process.kill(process.pid, sig);
  };
  /** Backend kills so far. */
  kills = 0;

  constructor(options: RedisServerOptions = {}) {
    this.options = options;
  }

  /** Starts a new server of the harness's own. */
  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(options);
    await server.start();
    return server;
  }

  /** The server's URL; only once started. */
  get url(): string {
    if (this.port === undefined) throw new Error('the Redis server is not started');
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The data directory. */
  get dataDir(): string {
    if (this.dir === undefined) throw new Error('the Redis server is not started');
    return this.dir;
  }

  /** The server's pid while it runs. */
  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  /** Starts the server (once; later calls wait for the first). */
  start(): Promise<void> {
    this.starting ??= (async () => {
      const found = findRedisServer(this.options.binary);
      if ('missing' in found) throw new Error(found.missing);
      this.dir = mkdtempSync(join(this.options.baseDir ?? tmpdir(), 'stateproof-redis-'));
      this.port = await freePort();
      process.on('exit', this.onExit);
      process.on('SIGINT', this.onSignal);
      process.on('SIGTERM', this.onSignal);
      await this.launch();
    })();
    return this.starting;
  }

  private args(): string[] {
    const settings = { ...DURABLE_REDIS_SETTINGS, ...this.options.settings };
    const out = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dataDir,
      '--daemonize',
      'no',
      '--logfile',
      '',
      '--protected-mode',
      'no',
    ];
    for (const [name, value] of Object.entries(settings)) out.push(`--${name}`, value);
    return out;
  }

  private async launch(): Promise<void> {
    const found = findRedisServer(this.options.binary);
    if ('missing' in found) throw new Error(found.missing);
    this.log = '';
    const child = spawn(found.path, this.args(), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString()).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let gone = false;
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        gone = true;
        resolve();
      });
      child.once('error', (error) => {
        this.log += `\n${error.message}`;
        gone = true;
        resolve();
      });
    });
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (gone)
        throw new Error(`the Redis server exited while starting: ${this.log.trim().split('\n').slice(-5).join(' | ')}`);
      const client = new Redis(this.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        connectTimeout: 1000,
        retryStrategy: () => null,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        // PING answers LOADING while the append-only file replays.
        if ((await client.ping()) === 'PONG') return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(
            `the Redis server did not answer within ${timeoutMs} ms (${(error as Error).message}): ${this.log.trim().split('\n').slice(-5).join(' | ')}`,
          );
      } finally {
        client.disconnect(false);
      }
      await sleep(20);
    }
  }

  /** SIGKILL of the server, as a crash: nothing is flushed or shut down. Resolves once it has exited. */
  async kill(): Promise<void> {
    const pid = this.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await this.exited;
    this.kills++;
  }

  /** Starts the server again on the same directory and port (it replays its AOF); resolves once it answers. */
  async restart(): Promise<void> {
    if (this.stopped || this.dir === undefined) throw new Error('the Redis server is not started');
    if (this.pid !== undefined) await this.kill();
    await this.launch();
  }

  /** Kills the server and removes its directory. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pid !== undefined) await this.kill();
    this.cleanupSync();
  }

  /** Synchronous cleanup for process exit: kill the server, remove the directory. */
  private cleanupSync(): void {
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    const pid = this.pid;
    if (pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.child = undefined;
  }
}
