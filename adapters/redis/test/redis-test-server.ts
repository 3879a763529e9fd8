import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  DEFAULT_REDIS_URL,
  openRedisAdapter,
  type RedisAdapter,
  type RedisAdapterOptions,
} from '@stateproof/adapter-redis';
import { dropRedisNamespace, RedisServer, redisServerUnavailable } from '@stateproof/adapter-redis/conformance';
import { DEFAULT_RETRY, type BindingByKind } from '@stateproof/core';
import { scopedSpace } from '@stateproof/core';
import type { SurfaceKind } from '@stateproof/spec';

/** The shared server: STATEPROOF_REDIS_URL, or the local default. Never flushed or reconfigured. */
export const REDIS_URL = process.env['STATEPROOF_REDIS_URL'] ?? DEFAULT_REDIS_URL;

const CI = process.env['CI'] === 'true';

/**
 * Whether the shared server answers. Without one the Redis tests say so loudly and skip; under
 * CI=true a missing server is a failure (the tests then run and fail on the connection).
 */
export const REDIS_AVAILABLE: boolean = await (async () => {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    const message = `\n*** Redis tests SKIPPED: no server at ${REDIS_URL} (${(error as Error).message}). Set STATEPROOF_REDIS_URL to run them. ***\n`;
    if (CI) {
      console.error(message.replace('SKIPPED', 'FAILING (CI=true)'));
      return true;
    }
    console.warn(message);
    return false;
  } finally {
    client.disconnect(false);
  }
})();

/**
 * Whether this machine can start redis-servers of its own (durable configurations, backend kills).
 * Without the binary those tests say so loudly and skip; under CI=true they fail.
 */
export const OWN_SERVER_AVAILABLE: boolean = (() => {
  const missing = redisServerUnavailable();
  if (missing === undefined) return true;
  const message = `\n*** Redis own-server tests SKIPPED: ${missing}. Install redis-server or set STATEPROOF_REDIS_BIN. ***\n`;
  if (CI) {
    console.error(message.replace('SKIPPED', 'FAILING (CI=true)'));
    return true;
  }
  console.warn(message);
  return false;
})();

/** A namespace no other test uses. */
export function freshNamespace(prefix = 'sp-test'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** Tracks the adapters and namespaces of one test file and removes them all afterwards. */
export class TestNamespaces {
  private readonly adapters: RedisAdapter[] = [];
  private readonly namespaces = new Map<string, string>();

  constructor(private readonly url: string = REDIS_URL) {}

  /** Opens an adapter (its namespace's keys are removed by {@link cleanup}). */
  async open(options: RedisAdapterOptions = {}): Promise<RedisAdapter> {
    const namespace = options.namespace ?? freshNamespace();
    const url = options.url ?? this.url;
    this.namespaces.set(namespace, url);
    const adapter = await openRedisAdapter({ url, pollIntervalMs: 100, ...options, namespace });
    this.adapters.push(adapter);
    return adapter;
  }

  async cleanup(): Promise<void> {
    await Promise.allSettled(this.adapters.splice(0).map((a) => a.close()));
    for (const [namespace, url] of this.namespaces) await dropRedisNamespace({ url, namespace });
    this.namespaces.clear();
  }
}

/** Starts a durable redis-server of the test's own (stop it in afterAll). */
export function durableServer(settings: Readonly<Record<string, string>> = {}): Promise<RedisServer> {
  return RedisServer.start({ settings });
}

/** A binding as core would build it, for direct store tests, under `namespace`. */
export function binding<K extends SurfaceKind>(
  kind: K,
  namespace: string,
  overrides: Partial<BindingByKind[K]> = {},
): BindingByKind[K] {
  const cls = kind === 'channel' ? ('ephemeral' as const) : ('shared-durable' as const);
  // The space follows the surface id, as core builds it: two surfaces never share keys by accident.
  const surfaceId = overrides.surfaceId ?? `test.${kind}`;
  const space = scopedSpace({ namespace, app: 'app', deployment: 'd1' }, 'app', surfaceId);
  const base = { surfaceId, kind, class: cls, space };
  // Only a queue binding carries attempt options: a store of another kind never sees them.
  const queue =
    kind === 'queue'
      ? { leaseMs: 1000, retry: { ...DEFAULT_RETRY, jitter: 0 }, concurrency: {}, attemptHistory: 20 }
      : {};
  return { ...base, ...queue, ...overrides } as unknown as BindingByKind[K];
}
