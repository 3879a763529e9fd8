import type Database from 'better-sqlite3';
import {
  AdapterLifecycle,
  systemClock,
  type Adapter,
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
} from '@stateproof/core/adapter-kit';
import { ChangeFeed } from './database/change-feed.js';
import { SqliteExecutor } from './database/executor.js';
import { openDatabase } from './database/open-database.js';
import { StatementCache } from './database/statement-cache.js';
import { FILE_SCHEMA_VERSION } from './schema/file-schema.js';
import { NAMESPACE_MIGRATIONS } from './schema/namespace-migrations.js';
import { SQLITE_ADAPTER_VERSION, SQLITE_CAPABILITIES } from './sqlite-capabilities.js';
import { resolveSqliteOptions, type ResolvedSqliteOptions, type SqliteAdapterOptions } from './sqlite-options.js';
import { faultOutcomes } from '@stateproof/spec';
import { certify, sqliteFindings } from './sqlite-probe.js';
import { SqliteChannelStore } from './stores/sqlite-channel-store.js';
import { SqliteClaimStore } from './stores/sqlite-claim-store.js';
import { SqliteDataspaceStore } from './stores/sqlite-dataspace-store.js';
import { SqliteDeploymentRegistry } from './stores/sqlite-deployment-registry.js';
import { SqliteLogStore } from './stores/sqlite-log-store.js';
import { SqliteQueueStore } from './stores/sqlite-queue-store.js';
import { SqliteRecordStore } from './stores/sqlite-record-store.js';
import { Counters } from './stores/counters.js';
import type { StoreContext } from './stores/store-context.js';

/**
 * The SQLite reference adapter: every surface kind in one database file, durable across process
 * kills (restart-safe-local) with the default WAL journal and `synchronous=FULL`, and shared by the
 * processes of one host. One instance is one connection; several instances, in one process or in
 * several, may open the same file and namespace and behave like processes on one server.
 */
export class SqliteAdapter implements Adapter {
  readonly name = 'sqlite';
  readonly version = SQLITE_ADAPTER_VERSION;
  readonly capabilities = SQLITE_CAPABILITIES;
  readonly namespace: string;
  readonly clock: Clock;
  readonly deployments: SqliteDeploymentRegistry;
  /** Absolute path of the database file (or `:memory:`). */
  readonly file: string;
  /** The options in effect, as plain data (hand them to a child process to open the same file). */
  readonly options: ResolvedSqliteOptions;
  private readonly db: Database.Database;
  private readonly journalMode: string;
  private readonly synchronous: string;
  private readonly lifecycle = new AdapterLifecycle('sqlite adapter');
  /**
   * What every store of this adapter shares (connection, executor, statements); protected so that variants can open
   * their own stores.
   * @internal
   */
  protected readonly ctx: StoreContext;

  /** Opens (creating or migrating) the database; throws typed errors for bad options and unusable files. */
  constructor(options: SqliteAdapterOptions) {
    this.options = resolveSqliteOptions(options);
    this.namespace = this.options.namespace;
    this.clock = options.clock ?? systemClock;
    const opened = openDatabase(this.options, this.clock.now());
    this.db = opened.db;
    this.file = opened.file;
    this.journalMode = opened.journalMode;
    this.synchronous = opened.synchronous;
    const feed = new ChangeFeed(this.db, `${this.file}\u0000${this.namespace}`, this.options.pollIntervalMs);
    const sql = new StatementCache(this.db);
    this.ctx = {
      exec: new SqliteExecutor(this.db, () => feed.committed()),
      sql,
      tables: opened.tables,
      counters: new Counters(sql, opened.tables),
      clock: this.clock,
      lifecycle: this.lifecycle,
      feed,
      random: options.random ?? Math.random,
      ...(options.testHooks?.beforeLeaseJudgement
        ? { beforeLeaseJudgement: options.testHooks.beforeLeaseJudgement }
        : {}),
    };
    this.deployments = new SqliteDeploymentRegistry(this.ctx);
  }

  async probe(): Promise<ProbeResult> {
    const sqliteVersion = (this.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    const settings = { file: this.file, journalMode: this.journalMode, synchronous: this.synchronous, sqliteVersion };
    return {
      probeVersion: 1,
      adapter: { name: this.name, version: this.version },
      backend: { name: 'sqlite', version: sqliteVersion },
      at: new Date(this.clock.now()).toISOString(),
      settings: {
        path: this.file,
        journal_mode: this.journalMode,
        synchronous: this.synchronous,
        busy_timeout_ms: this.options.busyTimeoutMs,
        fullfsync: process.platform === 'darwin' ? Boolean(this.db.pragma('fullfsync', { simple: true })) : null,
        file_schema_version: FILE_SCHEMA_VERSION,
        namespace_schema_version: NAMESPACE_MIGRATIONS.at(-1)?.version ?? 0,
        shared: 'processes on one host',
      },
      faults: faultOutcomes(sqliteFindings(settings)),
      classes: certify(settings),
    };
  }

  async openRecord(binding: RecordBinding): Promise<RecordStore> {
    return new SqliteRecordStore(this.ctx, binding);
  }

  async openLog(binding: LogBinding): Promise<LogStore> {
    return new SqliteLogStore(this.ctx, binding);
  }

  async openClaim(binding: ClaimBinding): Promise<ClaimStore> {
    return new SqliteClaimStore(this.ctx, binding);
  }

  async openQueue(binding: QueueBinding): Promise<QueueStore> {
    return new SqliteQueueStore(this.ctx, binding);
  }

  async openDataspace(binding: DataspaceBinding): Promise<DataspaceStore> {
    return new SqliteDataspaceStore(this.ctx, binding);
  }

  async openChannel(binding: ChannelBinding): Promise<ChannelStore> {
    return new SqliteChannelStore(this.ctx, binding);
  }

  /** Ends subscriptions, commits what was already issued, and closes the connection. Idempotent. */
  async close(): Promise<void> {
    if (!this.lifecycle.isOpen) return;
    await this.lifecycle.close();
    this.ctx.exec.drain();
    this.ctx.feed.close();
    this.db.close();
  }
}

/**
 * Opens the SQLite adapter on a database file:
 *
 *     const adapter = sqliteAdapter({ path: './state.db' })
 *
 * The options are plain data (but `clock` and `random`), so a child process can open the same file
 * with the same settings. Bad options are STATEPROOF_INVALID_OPTIONS; a file that is not a database
 * is STATEPROOF_BACKEND_CORRUPT, another application's or a newer adapter's database
 * STATEPROOF_BACKEND_INCOMPATIBLE, an unwritable one STATEPROOF_BACKEND_READ_ONLY; none is modified.
 */
export function sqliteAdapter(options: SqliteAdapterOptions): SqliteAdapter {
  return new SqliteAdapter(options);
}
