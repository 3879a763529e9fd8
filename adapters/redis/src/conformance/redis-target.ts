import type { Adapter } from '@stateproof/core';
import type { ConformanceTarget, ConnectionFaults, ServerControl } from '@stateproof/conformance';
import { redactUrl } from '@stateproof/core/adapter-kit';
import { openRedisAdapter, RedisAdapter } from '../redis-adapter.js';
import { DEFAULT_REDIS_URL, type RedisAdapterOptions } from '../redis-options.js';
import { connectionIdsNamed, dropRedisNamespace, withRedisAdmin } from './redis-admin.js';
import { parseInfo } from '../redis-probe.js';

/** Settings of {@link redisTarget}. */
export interface RedisTargetSettings {
  /** Server URL (default: $STATEPROOF_REDIS_URL, else redis://127.0.0.1:6379). */
  readonly url?: string;
  /**
   * Give the adapters the suite's manual clock instead of the server's `TIME` (tests of the scripts
   * only: the exact model-based properties then run too). A certificate is made with the server clock.
   */
  readonly injectClock?: boolean;
  /** Control of the server at `url` when the harness owns it (a RedisServer): the crash harness kills and restarts it. */
  readonly server?: ServerControl;
  /** The adapter class to open (default RedisAdapter): the kit's mutants pass a subclass with one bug planted. */
  readonly adapter?: {
    /** Opens an adapter with the options the target computed. */
    new (options: RedisAdapterOptions): RedisAdapter;
  };
}

/** This module as plain Node imports it: the built file, also when the caller runs the TypeScript source. */
const BUILT_MODULE = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/conformance/redis-target.js', import.meta.url).href
  : import.meta.url;

/**
 * The Redis adapter as a conformance target: `create({ namespace })` opens an adapter on the URL
 * with its own connections (as a separate process would have), `dispose` removes every key of the
 * namespace and nothing else, and `faults` cuts an adapter's connections with CLIENT KILL (and names
 * them by CLIENT ID, which the server never reuses, so the suite can check they went). With
 * `server` (a server the harness started) the crash harness can also kill the backend.
 */
export function redisTarget(settings: RedisTargetSettings = {}): ConformanceTarget {
  const url = settings.url ?? process.env['STATEPROOF_REDIS_URL'] ?? DEFAULT_REDIS_URL;
  return {
    name: settings.injectClock ? 'redis (injected clock)' : 'redis',
    ...(settings.server ? { server: settings.server } : {}),
    create: ({ namespace, clock, injectClock, writeDelay }) =>
      openRedisAdapter(
        {
          url,
          namespace,
          pollIntervalMs: 100,
          ...(settings.injectClock || injectClock ? { clock } : {}),
          ...(writeDelay ? { testHooks: { beforeLeaseJudgement: writeDelay } } : {}),
        },
        settings.adapter,
      ),
    // Lease-judged writes await the delay before their script runs; the script judges by the time it runs at.
    writeDelay: true,
    // The exact-time models run on an injected clock against the real scripts; the rest on the server's.
    clockInjection: !settings.injectClock,
    dispose: async (namespace) => {
      await dropRedisNamespace({ url, namespace });
    },
    describeBackend: () =>
      withRedisAdmin(url, async (client) => {
        const info = parseInfo(await client.info('server'));
        const pairs = (await client
          .config('GET', 'appendonly', 'appendfsync', 'no-appendfsync-on-rewrite', 'maxmemory-policy')
          .catch(() => [])) as string[];
        const config: Record<string, string> = {};
        for (let i = 0; i + 1 < pairs.length; i += 2) config[pairs[i] as string] = pairs[i + 1] as string;
        return {
          name: 'redis',
          ...(info['redis_version'] ? { version: info['redis_version'] } : {}),
          settings: { url: redactUrl(url), ...config },
        };
      }),
    // A child process cannot be handed a class: a target over another adapter class has no spawn recipe.
    ...(settings.adapter
      ? {}
      : {
          spawn: {
            module: BUILT_MODULE,
            export: 'redisTarget',
            args: { url, ...(settings.injectClock ? { injectClock: true } : {}) },
          },
        }),
    faults: redisFaults(url),
  };
}

/** The Redis adapter behind the guarded view the suite passes (a foreign adapter is a wiring bug, never a silent no-op). */
function redisAdapterOf(adapter: Adapter): RedisAdapter {
  if (!(adapter instanceof RedisAdapter))
    throw new Error(`the redis target's fault hook got a ${adapter.name} adapter, not one of its own`);
  return adapter;
}

/**
 * Connection faults on the server at `url`: `dropConnections` kills (CLIENT KILL ID) every
 * connection the adapter instance holds, found by the name it gave them; `connectionIdentity`
 * lists those the server still has, by CLIENT ID, which the server never hands out twice.
 */
export function redisFaults(url: string): ConnectionFaults {
  return {
    async dropConnections(adapter) {
      const prefix = redisAdapterOf(adapter).connectionName('');
      await withRedisAdmin(url, async (client) => {
        for (const id of await connectionIdsNamed(client, prefix)) await client.client('KILL', 'ID', id);
      });
    },
    async connectionIdentity(adapter) {
      const prefix = redisAdapterOf(adapter).connectionName('');
      return withRedisAdmin(url, (client) => connectionIdsNamed(client, prefix));
    },
  };
}
