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

/** What tools/bench/peers/index.js exports. */
export interface PeerModules {
  readonly pgBoss: PgBossModule;
  readonly graphileWorker: GraphileWorkerModule;
  /** The peers' own copy of pg (pg-boss connects through it). */
  readonly pg: { readonly Client: { prototype: object } };
}
