import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import pg from 'pg';

/** CPU time (ns) each server backend had used, by backend pid. */
export type BackendCpu = ReadonlyMap<number, number>;

/** The local TCP ports of this process's sockets (Linux: /proc/self/fd and /proc/net/tcp{,6}). */
function ownLocalPorts(): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m) inodes.add(m[1] as string);
    } catch {
      // closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && inodes.has(f[9] as string))
        ports.push(parseInt((f[1] as string).split(':')[1] as string, 16));
    }
  }
  return ports;
}

/**
 * Measures the CPU of the server backends that serve this process's connections, when the server
 * runs on this host and its /proc is readable (otherwise every reading is empty and the figures say
 * n/a): backends are found by the client ports of this process's sockets in pg_stat_activity, and
 * their CPU read from /proc/<pid>/schedstat (nanoseconds on the CPU). Other work on the server is
 * not counted.
 */
export class ServerCpu {
  private admin: pg.Client | undefined;
  private adminPid = -1;
  private usable = true;

  constructor(private readonly url: string) {}

  /** The CPU used so far by the backends of this process's connections (the probe's own excluded). */
  async read(): Promise<BackendCpu> {
    const out = new Map<number, number>();
    if (!this.usable) return out;
    try {
      if (!this.admin) {
        this.admin = new pg.Client({ connectionString: this.url, application_name: 'stateproof-bench-admin' });
        await this.admin.connect();
        this.adminPid = (await this.admin.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      }
      const { rows } = await this.admin.query<{ pid: number }>(
        'select pid from pg_stat_activity where client_port = any($1::integer[]) and pid <> $2',
        [ownLocalPorts(), this.adminPid],
      );
      for (const { pid } of rows) {
        try {
          out.set(pid, Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]));
        } catch {
          // not on this host, or gone
        }
      }
      if (rows.length > 0 && out.size === 0) this.usable = false;
    } catch {
      this.usable = false;
    }
    return out;
  }

  /** Server CPU in µs between two readings (a backend that appeared in between counts from zero), NaN when unmeasured. */
  static between(before: BackendCpu, after: BackendCpu): number {
    if (after.size === 0) return Number.NaN;
    let ns = 0;
    for (const [pid, end] of after) ns += end - (before.get(pid) ?? 0);
    return ns / 1000;
  }

  async close(): Promise<void> {
    await this.admin?.end();
  }
}
