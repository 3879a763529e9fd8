import { Redis } from 'ioredis';
import { DURABLE_REDIS_SETTINGS, RedisServer } from '@stateproof/adapter-redis/conformance';
import { fsyncRate } from './fsync-rate.js';

/** One server configuration the Redis benchmark runs every comparison on. */
export interface BenchConfiguration {
  /** Stable name, used in ratio keys (`durable: stateproof/BullMQ queue total`). */
  readonly name: 'durable' | 'volatile';
  /** What the documentation says it is. */
  readonly description: string;
  /** `redis-server --name value` settings. */
  readonly settings: Readonly<Record<string, string>>;
}

/**
 * The two configurations: the one the adapter certifies shared-durable (every acknowledged write
 * fsynced to the append-only file first), and persistence off, the way BullMQ's own and third-party
 * benchmarks run Redis. Users compare on both, so every figure is measured on both.
 */
export const BENCH_CONFIGURATIONS: readonly BenchConfiguration[] = [
  {
    name: 'durable',
    description: 'appendonly yes, appendfsync always, no-appendfsync-on-rewrite no, save "", noeviction',
    settings: DURABLE_REDIS_SETTINGS,
  },
  {
    name: 'volatile',
    description: 'appendonly no, save "" (no persistence), noeviction',
    settings: { ...DURABLE_REDIS_SETTINGS, appendonly: 'no', save: '' },
  },
];

/** A started benchmark server and what its figures depend on. */
export interface BenchServer {
  readonly configuration: BenchConfiguration;
  readonly server: RedisServer;
  readonly url: string;
  /** Version, persistence settings and the fsync rate of the data directory's disk, for the notes. */
  readonly facts: string;
}

/**
 * Starts a redis-server of the benchmark's own (a child process on a free port of 127.0.0.1, data
 * in a temp directory; never the machine's shared server) with `configuration`, and reads back what
 * the server says it runs with, so a figure never rests on a setting that did not take.
 */
export async function startBenchServer(configuration: BenchConfiguration): Promise<BenchServer> {
  const server = await RedisServer.start({ settings: configuration.settings });
  try {
    const admin = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      const version = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? '?';
      const pairs = (await admin.config('GET', 'appendonly', 'appendfsync', 'save', 'maxmemory-policy')) as string[];
      const config: Record<string, string> = {};
      for (let i = 0; i + 1 < pairs.length; i += 2) config[pairs[i] as string] = pairs[i + 1] as string;
      for (const name of ['appendonly', 'appendfsync', 'save'])
        if (config[name] !== configuration.settings[name])
          throw new Error(
            `redis bench: the ${configuration.name} server runs with ${name} ${JSON.stringify(config[name])}, not ${JSON.stringify(configuration.settings[name])}`,
          );
      const fsyncs = Math.round(fsyncRate(server.dataDir, 500));
      const facts =
        `Redis ${version}, appendonly ${config['appendonly']}, appendfsync ${config['appendfsync']}, ` +
        `save "${config['save']}", maxmemory-policy ${config['maxmemory-policy']}; ` +
        `fsync of its data directory's disk: ${fsyncs}/s (100-byte write + fsync, 0.5 s)`;
      return { configuration, server, url: server.url, facts };
    } finally {
      admin.disconnect();
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
}
