import {
  AdapterLifecycle,
  type Adapter,
  type AdapterCapabilities,
  type ChannelStore,
  type ClaimStore,
  type Clock,
  type DataspaceStore,
  type LogStore,
  type ProbeResult,
  type QueueStore,
  type RecordStore,
  type ChannelBinding,
  type ClaimBinding,
  type DataspaceBinding,
  type LogBinding,
  type QueueBinding,
  type RecordBinding,
  type SurfaceBinding,
} from '@stateproof/core/adapter-kit';
import type { SurfaceKind } from '@stateproof/spec';
import { ConnectionPool, type PooledConnection } from './db/connection-pool.js';
import { newClient } from './db/pg-client.js';
import { PgDatabase } from './db/pg-database.js';
import { isConnectionError, toStateproofError } from './db/pg-errors.js';
import { channelName, quoteIdentifier } from './db/sql-names.js';
import { PgListener } from './notify/pg-listener.js';
import { POSTGRES_ADAPTER_VERSION, postgresCapabilities } from './postgres-capabilities.js';
import {
  redactUrl,
  resolveOptions,
  type PostgresAdapterOptions,
  type ResolvedPostgresOptions,
} from './postgres-options.js';
import { certify, PROBE_SQL, type PostgresSettings } from './postgres-probe.js';
import { migrate } from './schema/migrate.js';
import { PgChannelStore } from './stores/pg-channel-store.js';
import { PgClaimStore } from './stores/pg-claim-store.js';
import { PgDataspaceStore } from './stores/pg-dataspace-store.js';
import { PgDeploymentRegistry } from './stores/pg-deployment-registry.js';
import { PgLogStore } from './stores/pg-log-store.js';
import { PgQueueStore } from './stores/pg-queue-store.js';
import { PgRecordStore } from './stores/pg-record-store.js';
import type { PgDataspaceContext } from './stores/pg-store-context.js';
import { SpaceRegistry } from './stores/space-registry.js';

/**
 * The Postgres reference adapter: every kind, certified shared-durable when the server's settings
 * say so (see {@link PostgresAdapter.probe}). One schema per namespace, created and migrated on first
 * use; every statement parameterised; time from the server clock. Each instance has its own pool
 * and its own LISTEN connection, so two instances on one schema behave as two processes.
 */
export class PostgresAdapter implements Adapter {
  readonly name = 'postgres';
  readonly version = POSTGRES_ADAPTER_VERSION;
  /** The schema this adapter owns. */
  readonly namespace: string;
  readonly capabilities: AdapterCapabilities;
  /** Undefined: time is the server's (unless a test injected a clock). */
  readonly clock: Clock | undefined;
  readonly deployments: PgDeploymentRegistry;
  /** The LISTEN connection (exposed for tests that cut it and for metrics). */
  readonly listener: PgListener;
  private readonly options: ResolvedPostgresOptions;
  private readonly pool: ConnectionPool;
  private readonly lifecycle = new AdapterLifecycle('postgres adapter');
  /**
   * Protected, with `s` and `spaceOf`, so that the kit's variants can open their own stores.
   * @internal
   */
  protected readonly db: PgDatabase;
  private readonly spaces: SpaceRegistry;
  /** The quoted schema, for SQL text. */
  protected readonly s: string;
  private migrated: Promise<void> | undefined;

  constructor(options: PostgresAdapterOptions = {}) {
    this.options = resolveOptions(options);
    const o = this.options;
    this.namespace = o.schema;
    this.s = quoteIdentifier(o.schema);
    this.clock = o.clock;
    this.capabilities = postgresCapabilities({
      injectableClock: o.clock !== undefined,
      expiryToleranceMs: o.expiryToleranceMs,
    });
    const config = {
      connectionString: o.url,
      connectionTimeoutMillis: o.connectTimeoutMs,
      application_name: 'stateproof',
    };
    this.pool = new ConnectionPool(config, o.maxConnections, 10_000, o.connectTimeoutMs);
    this.listener = new PgListener(() => newClient({ ...config, application_name: 'stateproof-listen' }));
    this.lifecycle.track(() => this.listener.close());
    this.db = new PgDatabase(this.pool, o.clock, this.lifecycle, () => this.ready(), o.prepareStatements);
    this.spaces = new SpaceRegistry(this.db, this.s);
    this.deployments = new PgDeploymentRegistry(this.db, this.s, o.schema);
  }

  /**
   * Connects and creates or migrates the schema (once per instance; a failure is retried on the next
   * call). Every operation waits for it, so calling it is optional: it reports a wrong URL, refused
   * credentials or a schema of a newer version up front.
   */
  ready(): Promise<void> {
    this.lifecycle.assertOpen();
    if (!this.migrated) {
      this.migrated = this.migrate();
      this.migrated.catch(() => (this.migrated = undefined));
    }
    return this.migrated;
  }

  private async migrate(): Promise<void> {
    const where = `Postgres at ${redactUrl(this.options.url)}`;
    let c: PooledConnection;
    try {
      c = await this.pool.connect();
    } catch (error) {
      throw toStateproofError(error, `connecting to ${where}`);
    }
    try {
      await migrate(c.client, this.options.schema, this.version);
      c.release();
    } catch (error) {
      c.release(isConnectionError(error) ? error : undefined);
      throw toStateproofError(error, `preparing schema "${this.options.schema}" on ${where}`);
    }
  }

  /** Backend process ids of this instance's connections (pool and LISTEN): what a test gives pg_terminate_backend to cut them. */
  backendPids(): number[] {
    const pids = this.pool.pids();
    const l = this.listener.pid;
    return l === undefined ? pids : [...pids, l];
  }

  /** Reads fsync, synchronous_commit and full_page_writes and reports what they certify, with reasons. */
  async probe(): Promise<ProbeResult> {
    const rows = await this.db.query<Record<keyof PostgresSettings, string>>('probing the server', PROBE_SQL, [], {
      idempotent: true,
    });
    return certify(rows[0] as unknown as PostgresSettings, { name: this.name, version: this.version }, new Date());
  }

  /**
   * The space id of the surface bound by `binding`, looked up (or created) on first call; for the kit's variants.
   * @internal
   */
  protected spaceOf(kind: SurfaceKind, binding: SurfaceBinding): () => Promise<number> {
    return () => this.spaces.id(kind, binding.space);
  }

  private channelOf(kind: 'log' | 'queue' | 'dataspace' | 'channel', binding: SurfaceBinding): () => Promise<string> {
    return async () => channelName(this.options.schema, kind, await this.spaces.id(kind, binding.space));
  }

  async openRecord(binding: RecordBinding): Promise<RecordStore> {
    return new PgRecordStore(this.db, this.s, this.spaceOf('record', binding), binding);
  }

  async openLog(binding: LogBinding): Promise<LogStore> {
    const o = this.options;
    return new PgLogStore(
      {
        db: this.db,
        s: this.s,
        spaceId: this.spaceOf('log', binding),
        channel: this.channelOf('log', binding),
        listener: this.listener,
        lifecycle: this.lifecycle,
        pollIntervalMs: o.pollIntervalMs,
        notify: o.notify,
      },
      binding,
    );
  }

  async openClaim(binding: ClaimBinding): Promise<ClaimStore> {
    return new PgClaimStore(
      this.db,
      this.s,
      this.spaceOf('claim', binding),
      this.options.testHooks.beforeLeaseJudgement,
    );
  }

  async openQueue(binding: QueueBinding): Promise<PgQueueStore & QueueStore> {
    const o = this.options;
    return new PgQueueStore(
      {
        db: this.db,
        s: this.s,
        schema: o.schema,
        spaceId: this.spaceOf('queue', binding),
        channel: this.channelOf('queue', binding),
        listener: this.listener,
        notify: o.notify,
        random: o.random,
        ...(o.testHooks.beforeLeaseJudgement ? { beforeLeaseJudgement: o.testHooks.beforeLeaseJudgement } : {}),
      },
      binding,
    );
  }

  async openDataspace(binding: DataspaceBinding): Promise<DataspaceStore> {
    const o = this.options;
    return this.dataspaceStore({
      db: this.db,
      s: this.s,
      spaceId: this.spaceOf('dataspace', binding),
      channel: this.channelOf('dataspace', binding),
      listener: this.listener,
      lifecycle: this.lifecycle,
      pollIntervalMs: o.pollIntervalMs,
      changeRetention: o.changeRetention,
      retention: binding.retention,
    });
  }

  /**
   * The dataspace store over `ctx`; protected so that variants (the glob mutants) can open their own.
   * @internal
   */
  protected dataspaceStore(ctx: PgDataspaceContext): DataspaceStore {
    return new PgDataspaceStore(ctx);
  }

  async openChannel(binding: ChannelBinding): Promise<ChannelStore> {
    return new PgChannelStore({
      db: this.db,
      s: this.s,
      channel: this.channelOf('channel', binding),
      listener: this.listener,
      lifecycle: this.lifecycle,
    });
  }

  /** Ends subscriptions, the LISTEN connection and the pool. Idempotent; later operations throw STATEPROOF_CLOSED. */
  async close(): Promise<void> {
    if (!this.lifecycle.isOpen) return;
    await this.lifecycle.close();
    await this.pool.end().catch(() => undefined);
  }
}

/** Creates a Postgres adapter; it connects on first use (see {@link openPostgresAdapter} to connect at once). */
export function postgresAdapter(options: PostgresAdapterOptions = {}): PostgresAdapter {
  return new PostgresAdapter(options);
}

/**
 * Creates a Postgres adapter and connects and migrates its schema before returning, so a wrong URL,
 * refused credentials or a schema of a newer version fail here, typed. The adapter is closed again
 * when that fails.
 */
export async function openPostgresAdapter(
  options: PostgresAdapterOptions = {},
  /** A subclass to open instead (the conformance kit's mutants plant their bugs in one). */
  Adapter: new (options: PostgresAdapterOptions) => PostgresAdapter = PostgresAdapter,
): Promise<PostgresAdapter> {
  const adapter = new Adapter(options);
  try {
    await adapter.ready();
    return adapter;
  } catch (error) {
    await adapter.close();
    throw error;
  }
}
