import { Redis } from 'ioredis';

/** What a server spent, read from INFO: its own CPU time and its per-command statistics. */
export interface ServerStats {
  /** used_cpu_user + used_cpu_sys of the redis-server process, in µs. */
  readonly cpuUs: number;
  /** Per command (`evalsha`, `bzpopmin`, …): calls and total µs, as `INFO commandstats` reports them. */
  readonly commands: Readonly<Record<string, { readonly calls: number; readonly usec: number }>>;
}

/**
 * Reads the server's CPU and command statistics over a connection of its own (on the benchmark's
 * own servers only). Commands a script runs inside are counted under their own names as well as in
 * the script's time.
 */
export async function serverStats(url: string): Promise<ServerStats> {
  const admin = new Redis(url, { maxRetriesPerRequest: 0 });
  admin.on('error', () => undefined);
  try {
    const info = await admin.info('all');
    const num = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
    const commands: Record<string, { calls: number; usec: number }> = {};
    for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm))
      commands[m[1] as string] = { calls: Number(m[2]), usec: Number(m[3]) };
    return { cpuUs: (num('used_cpu_user') + num('used_cpu_sys')) * 1e6, commands };
  } finally {
    admin.disconnect();
  }
}

/** What the server spent between two readings: CPU µs, and calls and µs per command. */
export function statsBetween(before: ServerStats, after: ServerStats): ServerStats {
  const commands: Record<string, { calls: number; usec: number }> = {};
  for (const [name, a] of Object.entries(after.commands)) {
    const b = before.commands[name] ?? { calls: 0, usec: 0 };
    if (a.calls > b.calls) commands[name] = { calls: a.calls - b.calls, usec: a.usec - b.usec };
  }
  return { cpuUs: after.cpuUs - before.cpuUs, commands };
}
