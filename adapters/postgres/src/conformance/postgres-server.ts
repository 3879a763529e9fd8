import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type ServerControl } from '@stateproof/conformance';
import { newClient } from '../db/pg-client.js';

/** Options of {@link PostgresServer}. */
export interface PostgresServerOptions {
  /** Directory holding `initdb` and `postgres` (default $STATEPROOF_PG_BIN, else the newest /usr/lib/postgresql/<v>/bin, else PATH). */
  readonly binDir?: string;
  /** The OS user the server runs as when this process is root, since Postgres refuses root (default `postgres`). */
  readonly osUser?: string;
  /** Where the temp directory goes (default the OS temp directory); the server's user must be able to reach it. */
  readonly baseDir?: string;
  /**
   * More server settings (`-c name=value`). fsync, synchronous_commit and full_page_writes are `on`
   * unless given here: the server must certify shared-durable.
   */
  readonly settings?: Readonly<Record<string, string>>;
  /** How long initdb, a start or a restart may take (default 60 s). */
  readonly timeoutMs?: number;
}

/** Where the binaries are, or why none were found. */
export function findPostgresBinaries(binDir = process.env['STATEPROOF_PG_BIN']):
  | {
      /** The directory that holds initdb and postgres. */
      dir: string;
    }
  | {
      /** Why none were found. */
      missing: string;
    } {
  const has = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
  if (binDir !== undefined) return has(binDir) ? { dir: binDir } : { missing: `no initdb and postgres in ${binDir}` };
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions) if (has(join(root, v, 'bin'))) return { dir: join(root, v, 'bin') };
  for (const dir of (process.env['PATH'] ?? '').split(':').filter(Boolean)) if (has(dir)) return { dir };
  return { missing: `no initdb and postgres binaries (looked in $STATEPROOF_PG_BIN, ${root}/<version>/bin and PATH)` };
}

/**
 * Why this process cannot run a server of its own (no binaries, root without the `postgres` user),
 * or undefined when it can. Tests use it to skip loudly, or fail under CI.
 */
export function postgresServerUnavailable(
  options: Pick<PostgresServerOptions, 'binDir' | 'osUser'> = {},
): string | undefined {
  const bins = findPostgresBinaries(options.binDir);
  if ('missing' in bins) return bins.missing;
  try {
    runAs(options.osUser ?? 'postgres');
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

/** The uid and gid to run as: none when this process is not root, else those of `user`. */
function runAs(user: string): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
    if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid === 0) throw new Error(`user ${user} is root`);
    return { uid, gid };
  } catch (error) {
    throw new Error(
      `this process is root and Postgres refuses to run as root, but there is no usable OS user "${user}" to run it as (${(error as Error).message.split('\n')[0]})`,
    );
  }
}

/** Pid, parent pid and state of every process, from /proc. */
function processTable(): Array<{ pid: number; ppid: number; state: string }> {
  const out: Array<{ pid: number; ppid: number; state: string }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid ...; comm may hold spaces and parentheses.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(name), state: rest[0] ?? '?', ppid: Number(rest[1]) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Live (not zombie) processes whose working directory is `dir`: every process of a server chdirs to its data directory. */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const p of processTable()) {
    if (p.state === 'Z' || p.pid === process.pid) continue;
    try {
      if (readlinkSync(`/proc/${p.pid}/cwd`) === dir) pids.push(p.pid);
    } catch {
      // gone, a zombie, or not ours to look at
    }
  }
  return pids;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A Postgres server owned by the harness, for backend-crash tests: `start()` runs initdb into a new
 * temp directory (as the `postgres` OS user when this process is root) and starts the postmaster on
 * a free port of 127.0.0.1, with fsync, synchronous_commit and full_page_writes on and trust
 * authentication for the local superuser `postgres`. Never the machine's shared server.
 *
 * The postmaster is a child of this process (spawned directly, never through `pg_ctl start`, which
 * daemonises it), in a process group of its own. `kill()` is a crash: it freezes the postmaster
 * (SIGSTOP, so that it forks nothing more), SIGKILLs it and every one of its processes at once (its
 * children are group leaders of their own, so each is killed by pid), waits for the postmaster's
 * exit, and then until no live process remains in the data directory; `restart()` starts it again
 * on the same data (crash recovery) and resolves once it accepts connections. `stop()` kills it and
 * removes the directory; so does this process's exit (and SIGINT or SIGTERM).
 */
export class PostgresServer implements ServerControl {
  private readonly options: PostgresServerOptions;
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

  constructor(options: PostgresServerOptions = {}) {
    this.options = options;
  }

  /** Starts a new server of the harness's own. */
  static async start(options: PostgresServerOptions = {}): Promise<PostgresServer> {
    const server = new PostgresServer(options);
    await server.start();
    return server;
  }

  /** The superuser's URL (trust authentication, database `postgres`); only once started. */
  get url(): string {
    if (this.port === undefined) throw new Error('the Postgres server is not started');
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** The data directory. */
  get dataDir(): string {
    if (this.dir === undefined) throw new Error('the Postgres server is not started');
    return join(this.dir, 'data');
  }

  /** The postmaster's pid while it runs. */
  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  /** Runs initdb and starts the server (once; later calls wait for the first). */
  start(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('the Postgres server was stopped'));
    this.starting ??= this.init().catch(async (error: unknown) => {
      await this.stop();
      throw error;
    });
    return this.starting;
  }

  private async init(): Promise<void> {
    const bins = findPostgresBinaries(this.options.binDir);
    if ('missing' in bins) throw new Error(`cannot start a Postgres server of the harness's own: ${bins.missing}`);
    const user = runAs(this.options.osUser ?? 'postgres');
    this.dir = mkdtempSync(join(this.options.baseDir ?? tmpdir(), 'stateproof-pg-'));
    process.on('exit', this.onExit);
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
    if (user) chownSync(this.dir, user.uid, user.gid);
    // --no-sync: the harness kills processes, never the OS, so initdb's final fsync buys nothing here.
    const initdb = spawn(
      join(bins.dir, 'initdb'),
      ['-D', this.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      {
        cwd: this.dir,
        env: this.env(),
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(user ?? {}),
      },
    );
    let out = '';
    initdb.stdout.on('data', (d: Buffer) => (out += d.toString()));
    initdb.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      initdb.once('error', reject);
      initdb.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${out.trim().split('\n').slice(-5).join(' | ')}`);
    for (let attempt = 1; ; attempt++) {
      this.port = await freePort();
      try {
        await this.launch();
        return;
      } catch (error) {
        // Another process took the port between the probe and the bind: try another one.
        if (
          attempt < 3 &&
          /could not (bind|create listen socket)|Address already in use/i.test((error as Error).message)
        )
          continue;
        throw error;
      }
    }
  }

  private env(): NodeJS.ProcessEnv {
    return {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      LC_ALL: 'C',
      LANG: 'C',
      TZ: 'UTC',
      ...(this.dir ? { HOME: this.dir } : {}),
    };
  }

  /** Starts the postmaster on the data directory and waits until it accepts connections. */
  private async launch(): Promise<void> {
    const bins = findPostgresBinaries(this.options.binDir) as { dir: string };
    const user = runAs(this.options.osUser ?? 'postgres');
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      unix_socket_directories: '',
      fsync: 'on',
      synchronous_commit: 'on',
      full_page_writes: 'on',
      max_connections: '200',
      ...this.options.settings,
    };
    const args = [
      '-D',
      this.dataDir,
      '-p',
      String(this.port),
      ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ];
    this.log = '';
    const child = spawn(join(bins.dir, 'postgres'), args, {
      cwd: this.dir,
      env: this.env(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...(user ?? {}),
    });
    this.child = child;
    const keep = (d: Buffer) => (this.log = (this.log + d.toString()).slice(-8000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let gone = false;
    this.exited = new Promise((resolve) => {
      child.once('exit', () => {
        gone = true;
        resolve();
      });
      child.once('error', (error) => {
        gone = true;
        this.log += `\n${error.message}`;
        resolve();
      });
    });
    const deadline = Date.now() + (this.options.timeoutMs ?? 60_000);
    for (;;) {
      if (gone) {
        throw new Error(
          `the Postgres server exited while starting: ${this.log.trim().split('\n').slice(-5).join(' | ')}`,
        );
      }
      const client = newClient({ connectionString: this.url, connectionTimeoutMillis: 1000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('select 1');
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(
            `the Postgres server did not accept connections within ${this.options.timeoutMs ?? 60_000} ms (${(error as Error).message}): ${this.log.trim().split('\n').slice(-5).join(' | ')}`,
          );
      } finally {
        await client.end().catch(() => undefined);
      }
      await sleep(50);
    }
  }

  /**
   * SIGKILL of the postmaster and all its processes at once, as a crash: nothing is flushed or shut
   * down. Resolves once the postmaster has exited and no live process of the server remains.
   */
  async kill(): Promise<void> {
    const child = this.child;
    const pid = this.pid;
    if (!child || pid === undefined) return;
    signal(pid, 'SIGSTOP');
    const victims = new Set([
      pid,
      ...processTable()
        .filter((p) => p.ppid === pid)
        .map((p) => p.pid),
      ...processesIn(this.dataDir),
    ]);
    signal(-pid, 'SIGKILL');
    for (const v of victims) signal(v, 'SIGKILL');
    await this.exited;
    this.kills++;
    await this.untilGone();
  }

  /** Waits until no live process has the data directory as its working directory (killing stragglers). */
  private async untilGone(): Promise<void> {
    const deadline = Date.now() + (this.options.timeoutMs ?? 60_000);
    for (;;) {
      const left = processesIn(this.dataDir);
      if (left.length === 0) return;
      if (Date.now() > deadline)
        throw new Error(`processes ${left.join(', ')} of the killed Postgres server are still alive`);
      for (const p of left) signal(p, 'SIGKILL');
      await sleep(10);
    }
  }

  /** Starts the server again on the same data (it runs crash recovery) and resolves once it accepts connections. */
  async restart(): Promise<void> {
    if (this.stopped || this.dir === undefined) throw new Error('the Postgres server is not started');
    if (this.pid !== undefined) await this.kill();
    await this.launch();
  }

  /** Kills the server and removes its directory. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.dir !== undefined && existsSync(this.dataDir)) await this.kill();
    this.cleanupSync();
  }

  /** Synchronous cleanup for process exit: kill whatever runs in the data directory, remove the directory. */
  private cleanupSync(): void {
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    if (this.dir === undefined) return;
    const pid = this.pid;
    if (pid !== undefined) signal(-pid, 'SIGKILL');
    for (const p of existsSync(this.dataDir) ? processesIn(this.dataDir) : []) signal(p, 'SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.child = undefined;
  }
}
