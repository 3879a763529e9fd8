import type { EventEmitter } from 'node:events';
import type pg from 'pg';

// The parts of the peers' APIs the benchmarks use, declared here because the peers are not
// installed with the workspace (see load-peers.ts) and their own types are not there to compile against.

/** A job pg-boss hands to `fetch`. */
export interface PgBossJob<T> {
  readonly id: string;
  readonly data: T;
  readonly retryCount: number;
}

/** A pg-boss 12 instance. */
export interface PgBossInstance {
  on(event: 'error', listener: (error: unknown) => void): unknown;
  start(): Promise<unknown>;
  createQueue(name: string): Promise<unknown>;
  insert(name: string, jobs: ReadonlyArray<{ data: object }>): Promise<unknown>;
  fetch<T>(name: string, options: { batchSize: number }): Promise<Array<PgBossJob<T>>>;
  complete(name: string, jobs: ReadonlyArray<{ id: string; retryCount: number }>): Promise<unknown>;
  deleteAllJobs(name: string): Promise<unknown>;
  stop(options: { graceful: boolean; wait: boolean }): Promise<unknown>;
}

/** The module `pg-boss`. */
export interface PgBossModule {
  readonly PgBoss: new (options: {
    connectionString: string;
    schema: string;
    max: number;
    application_name: string;
  }) => PgBossInstance;
}

/** graphile-worker's WorkerUtils. */
export interface GraphileWorkerUtils {
  migrate(): Promise<void>;
  addJobs(jobs: ReadonlyArray<{ identifier: string; payload: unknown }>): Promise<unknown>;
  release(): Promise<void>;
}

/** A running graphile-worker runner. */
export interface GraphileRunner {
  stop(): Promise<void>;
}

/** The module `graphile-worker` (0.18). */
export interface GraphileWorkerModule {
  readonly Logger: new (factory: () => () => void) => unknown;
  makeWorkerUtils(options: { pgPool: pg.Pool; schema: string; logger: unknown }): Promise<GraphileWorkerUtils>;
  run(options: {
    pgPool: pg.Pool;
    schema: string;
    concurrency: number;
    pollInterval: number;
    noHandleSignals: boolean;
    logger: unknown;
    events: EventEmitter;
    taskList: Record<string, (payload: unknown) => Promise<void>>;
    preset: { worker: { localQueue: { size: number }; completeJobBatchDelay: number; failJobBatchDelay: number } };
  }): Promise<GraphileRunner>;
}

/** A BullMQ job as its processor receives it. */
export interface BullMqJob<T> {
  readonly id?: string;
  readonly data: T;
}

/** The ioredis options BullMQ 6 builds its connections from (it duplicates them per role). */
export interface BullMqConnection {
  readonly host: string;
  readonly port: number;
  /** Workers: `null` (going-to-production guide: a worker waits out a reconnect instead of failing). */
  readonly maxRetriesPerRequest?: null;
  /** Producers: `false` (going-to-production guide: an add while disconnected fails at once). */
  readonly enableOfflineQueue?: boolean;
}

/** Retention of finished jobs (`true`: remove at once; `{ age }` in seconds, `{ count }` newest kept). */
export type BullMqKeep = boolean | number | { readonly age?: number; readonly count?: number };

/** Options of every job the benchmark adds. */
export interface BullMqJobOptions {
  readonly removeOnComplete?: BullMqKeep;
  readonly removeOnFail?: BullMqKeep;
}

/** A BullMQ 6 Queue (the producer side). */
export interface BullMqQueue {
  waitUntilReady(): Promise<unknown>;
  addBulk(jobs: ReadonlyArray<{ name: string; data: unknown; opts?: BullMqJobOptions }>): Promise<unknown[]>;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
  obliterate(options: { force: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** A BullMQ 6 Worker. */
export interface BullMqWorker {
  waitUntilReady(): Promise<unknown>;
  run(): Promise<void>;
  on(event: 'completed', listener: (job: BullMqJob<unknown>) => void): unknown;
  on(event: 'failed', listener: (job: BullMqJob<unknown> | undefined, error: Error) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(force?: boolean): Promise<void>;
}

/** The module `bullmq` (6.7). */
export interface BullMqModule {
  readonly Queue: new (
    name: string,
    options: { connection: BullMqConnection; prefix: string; defaultJobOptions: BullMqJobOptions },
  ) => BullMqQueue;
  readonly Worker: new (
    name: string,
    processor: (job: BullMqJob<unknown>) => Promise<unknown>,
    options: { connection: BullMqConnection; prefix: string; concurrency: number; autorun: boolean },
  ) => BullMqWorker;
}

/** What tools/bench/peers/index.js exports. */
export interface PeerModules {
  readonly pgBoss: PgBossModule;
  readonly graphileWorker: GraphileWorkerModule;
  readonly bullmq: BullMqModule;
  /** The peers' own copy of ioredis (BullMQ connects through it). */
  readonly ioredis: { readonly Redis: { prototype: object } };
  /** The peers' own copy of pg (pg-boss connects through it). */
  readonly pg: { readonly Client: { prototype: object } };
}
