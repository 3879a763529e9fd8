import { randomBytes } from 'node:crypto';
import {
  AdapterLifecycle,
  redactUrl,
  type Adapter,
  type AdapterCapabilities,
  type ChannelBinding,
  type ChannelStore,
  type ClaimBinding,
  type ClaimStore,
  type Clock,
  type DataspaceBinding,
  type DataspaceStore,
  type LogBinding,
  type LogStore,
  type ProbeResult,
  type QueueBinding,
  type QueueStore,
  type RecordBinding,
  type RecordStore,
  type SurfaceBinding,
} from '@stateproof/core/adapter-kit';
import { NamespaceKeys, SurfaceKeys, surfaceBase } from './client/key-layout.js';
import { RedisConnection } from './client/redis-connection.js';
import { toStateproofError } from './client/redis-errors.js';
import { ScriptRunner } from './client/script-runner.js';
import { RedisSubscriber } from './client/redis-subscriber.js';
import { REDIS_ADAPTER_VERSION, redisCapabilities } from './redis-capabilities.js';
import { resolveRedisOptions, type RedisAdapterOptions, type ResolvedRedisOptions } from './redis-options.js';
import { certifyRedis, parseInfo, type RedisSettings } from './redis-probe.js';
import { RedisChannelStore } from './stores/redis-channel-store.js';
import { RedisClaimStore } from './stores/redis-claim-store.js';
import { RedisDataspaceStore } from './stores/redis-dataspace-store.js';
import { RedisDeploymentRegistry } from './stores/redis-deployment-registry.js';
import { RedisLogStore } from './stores/redis-log-store.js';
import { RedisQueueStore } from './stores/redis-queue-store.js';
import { RedisRecordStore } from './stores/redis-record-store.js';
import type { RedisStoreContext } from './stores/redis-store-context.js';

/**
 * The Redis reference adapter: every kind, each operation one Lua script run atomically on the
 * server, time from the server's `TIME`, every key of a namespace under one Cluster hash tag.
 * Certified shared-durable when the probe finds AOF with `appendfsync always`, no eviction and no
 * failover (see {@link certifyRedis}). Each instance has its own connections, so two instances on
 * one namespace behave as two processes.
 */
export class RedisAdapter implements Adapter {
  readonly name = 'redis';
  readonly version = REDIS_ADAPTER_VERSION;
  /** The key namespace this adapter owns. */
  readonly namespace: string;
  readonly capabilities: AdapterCapabilities;
  /** Undefined: time is the server's (unless a test injected a clock). */
  readonly clock: Clock | undefined;
  readonly deployments: RedisDeploymentRegistry;
  /** The command connection (exposed for the fault hooks and tests). */
  readonly connection: RedisConnection;
  /** The pub/sub connection (wake-up hints, channels); it connects on first use. */
  readonly subscriber: RedisSubscriber;
  /** Keys of the namespace. */
  readonly ns: NamespaceKeys;
  /**
   * Names this instance's connections on the server (`CLIENT SETNAME stateproof:<instance>:<role>`),
   * so that an operator, and the suite's fault hooks, can find them in `CLIENT LIST`.
   */
  readonly instance = randomBytes(6).toString('hex');
  /** The options with their defaults; protected, with the fields below, for the kit's mutants. */
  protected readonly options: ResolvedRedisOptions;
  /** Runs the scripts on the command connection, retrying a lost reply under the same operation id. */
  protected readonly runner: ScriptRunner;
  /** Closed state and the resources to release on close. */
  protected readonly lifecycle = new AdapterLifecycle('redis adapter');

  constructor(options: RedisAdapterOptions = {}) {
    this.options = resolveRedisOptions(options);
    const o = this.options;
    this.namespace = o.namespace;
    this.clock = o.clock;
    this.capabilities = redisCapabilities({
      injectableClock: o.clock !== undefined,
      expiryToleranceMs: o.expiryToleranceMs,
    });
    this.ns = new NamespaceKeys(o.namespace);
    this.connection = new RedisConnection({
      url: o.url,
      name: this.connectionName('cmd'),
      connectTimeoutMs: o.connectTimeoutMs,
      commandTimeoutMs: o.commandTimeoutMs,
    });
    this.lifecycle.track(() => this.connection.close());
    this.subscriber = new RedisSubscriber({
      url: o.url,
      name: this.connectionName('sub'),
      connectTimeoutMs: o.connectTimeoutMs,
    });
    this.lifecycle.track(() => this.subscriber.close());
    this.runner = new ScriptRunner(this.connection, this.ns, {
      operationTtlMs: o.operationTtlMs,
      retryWindowMs: o.retryWindowMs,
      clock: o.clock,
    });
    this.deployments = new RedisDeploymentRegistry(this.runner, this.ns);
  }

  /**
   * Connects (once; every operation waits for it, so calling it is optional): it reports a wrong
   * URL, refused credentials or an unreachable server up front, typed.
   */
  async ready(): Promise<void> {
    this.lifecycle.assertOpen();
    await this.connection.ready();
    try {
      await this.connection.client.ping();
    } catch (error) {
      throw toStateproofError(error, `connecting to Redis at ${redactUrl(this.options.url)}`);
    }
  }

  /**
   * Reads the server's persistence, eviction and replication settings (CONFIG GET, INFO) and
   * reports what they certify, with reasons and the change that would certify each refused class.
   */
  async probe(): Promise<ProbeResult> {
    await this.connection.ready();
    const c = this.connection.client;
    const what = 'probing the server';
    let info: Record<string, string>;
    try {
      info = parseInfo(await c.info());
    } catch (error) {
      throw toStateproofError(error, what);
    }
    let config: Record<string, string> | undefined;
    try {
      const pairs = (await c.config(
        'GET',
        'appendonly',
        'appendfsync',
        'no-appendfsync-on-rewrite',
        'maxmemory',
        'maxmemory-policy',
        'save',
      )) as string[];
      config = {};
      for (let i = 0; i + 1 < pairs.length; i += 2) config[pairs[i] as string] = pairs[i + 1] as string;
    } catch (error) {
      // Managed services rename or forbid CONFIG: then nothing durable can be verified.
      if (!/unknown command|NOPERM|not allowed|ERR/i.test((error as Error).message))
        throw toStateproofError(error, what);
      config = undefined;
    }
    const settings: RedisSettings = {
      version: info['redis_version'] ?? null,
      appendonly: config?.['appendonly'] ?? null,
      appendfsync: config?.['appendfsync'] ?? null,
      noAppendfsyncOnRewrite: config?.['no-appendfsync-on-rewrite'] ?? null,
      maxmemory: config?.['maxmemory'] ?? null,
      maxmemoryPolicy: config?.['maxmemory-policy'] ?? null,
      save: config?.['save'] ?? null,
      role: info['role'] ?? null,
      connectedReplicas: Number(info['connected_slaves'] ?? 0),
      clusterEnabled: info['cluster_enabled'] === '1',
      mode: info['redis_mode'] ?? null,
    };
    return certifyRedis(settings, { name: this.name, version: this.version }, new Date());
  }

  /** The server-side name of this instance's connection for `role`. */
  connectionName(role: string): string {
    return `stateproof:${this.instance}:${role}`;
  }

  /**
   * What every store of the surface bound by `binding` works with.
   * @internal
   */
  protected context(binding: SurfaceBinding): RedisStoreContext {
    return {
      runner: this.runner,
      connection: this.connection,
      subscriber: this.subscriber,
      ns: this.ns,
      keys: new SurfaceKeys(surfaceBase(binding.space, this.namespace)),
      serverExpiry: this.options.clock === undefined,
      testHooks: this.options.testHooks,
      lifecycle: this.lifecycle,
      pollIntervalMs: this.options.pollIntervalMs,
      random: this.options.random,
    };
  }

  async openRecord(binding: RecordBinding): Promise<RecordStore> {
    return this.recordStore(this.context(binding), binding);
  }

  /**
   * The record store over `ctx`; protected so that the kit's mutants can open a broken one.
   * @internal
   */
  protected recordStore(ctx: RedisStoreContext, binding: RecordBinding): RecordStore {
    return new RedisRecordStore(ctx, binding);
  }

  async openLog(binding: LogBinding): Promise<LogStore> {
    return this.logStore(this.context(binding), binding);
  }

  /**
   * The log store over `ctx`; protected so that the kit's mutants can open a broken one.
   * @internal
   */
  protected logStore(ctx: RedisStoreContext, binding: LogBinding): LogStore {
    return new RedisLogStore(ctx, binding);
  }

  async openClaim(binding: ClaimBinding): Promise<ClaimStore> {
    return this.claimStore(this.context(binding), binding);
  }

  /**
   * The claim store over `ctx`; protected so that the kit's mutants can open a broken one.
   * @internal
   */
  protected claimStore(ctx: RedisStoreContext, _binding: ClaimBinding): ClaimStore {
    return new RedisClaimStore(ctx);
  }

  async openQueue(binding: QueueBinding): Promise<QueueStore> {
    return this.queueStore(this.context(binding), binding);
  }

  /**
   * The queue store over `ctx`; protected so that the kit's mutants can open a broken one.
   * @internal
   */
  protected queueStore(ctx: RedisStoreContext, binding: QueueBinding): QueueStore {
    return new RedisQueueStore(ctx, binding);
  }

  async openDataspace(binding: DataspaceBinding): Promise<DataspaceStore> {
    return this.dataspaceStore(this.context(binding), binding);
  }

  /**
   * The dataspace store over `ctx`; protected so that the kit's mutants can open a broken one.
   * @internal
   */
  protected dataspaceStore(ctx: RedisStoreContext, binding: DataspaceBinding): DataspaceStore {
    return new RedisDataspaceStore(ctx, this.options.changeRetention, binding.retention);
  }

  async openChannel(binding: ChannelBinding): Promise<ChannelStore> {
    return this.channelStore(this.context(binding), binding);
  }

  /**
   * The channel store over `ctx`; protected so that the kit's mutants can open a broken one.
   * @internal
   */
  protected channelStore(ctx: RedisStoreContext, _binding: ChannelBinding): ChannelStore {
    return new RedisChannelStore(ctx);
  }

  /** Ends subscriptions and connections. Idempotent; later operations throw STATEPROOF_CLOSED. */
  async close(): Promise<void> {
    await this.lifecycle.close();
  }
}

/** Creates a Redis adapter; it connects on first use (see {@link openRedisAdapter} to connect at once). */
export function redisAdapter(options: RedisAdapterOptions = {}): RedisAdapter {
  return new RedisAdapter(options);
}

/**
 * Creates a Redis adapter and connects before returning, so a wrong URL, refused credentials or an
 * unreachable server fail here, typed. The adapter is closed again when that fails.
 */
export async function openRedisAdapter(
  options: RedisAdapterOptions = {},
  /** A subclass to open instead (the conformance kit's mutants plant their bugs in one). */
  Adapter: new (options: RedisAdapterOptions) => RedisAdapter = RedisAdapter,
): Promise<RedisAdapter> {
  const adapter = new Adapter(options);
  try {
    await adapter.ready();
    return adapter;
  } catch (error) {
    await adapter.close();
    throw error;
  }
}
