import { EventEmitter } from 'node:events';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { Logger, makeWorkerUtils, run, type WorkerEvents, type WorkerUtils } from 'graphile-worker';
import { openRuntime, type QueueHandle, type Runtime } from '@stateproof/core';
import { openPostgresAdapter } from '@stateproof/adapter-postgres';
import { BENCH_SURFACES, benchJobs, benchRegistry, type Order } from './surfaces.js';

/** How every queue system is run: same pool size, same number of workers, same batch size. */
export interface QueueSettings {
  readonly url: string;
  /** Connections in each system's pool. */
  readonly connections: number;
  /** Concurrent workers (graphile-worker: concurrency). */
  readonly workers: number;
  /** Tasks a worker claims per round trip (graphile-worker: the local queue holds workers × batch). */
  readonly batch: number;
}

/** When a system's workers started looking for work and when the last completion was durable (performance.now()). */
export interface Processed {
  readonly startedAt: number;
  readonly endedAt: number;
}

/** One queue system under test. */
export interface QueueSystem {
  readonly name: string;
  /** What the documentation section lists as this system's settings. */
  readonly settings: string;
  /** Installs the schema and connects (untimed). */
  setup(): Promise<void>;
  /** Enqueues one batch (one call of the system's bulk API). */
  enqueue(payloads: readonly Order[]): Promise<void>;
  /** Runs the workers until `n` tasks were claimed and completed. */
  process(n: number): Promise<Processed>;
  /** Removes finished tasks and vacuums, so that every round starts from the same table sizes (untimed). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** What every worker does with a task: look at its payload (the work itself is nothing). */
function handle(payload: Order): void {
  if (typeof payload.id !== 'string') throw new Error('postgres bench: a task without its payload');
}

/** VACUUM ANALYZE of every table of a schema, on a connection of its own. */
async function vacuumSchema(url: string, schema: string, before?: string): Promise<void> {
  const c = new pg.Client({ connectionString: url, application_name: 'stateproof-bench-admin' });
  await c.connect();
  try {
    if (before) await c.query(before);
    const { rows } = await c.query<{ t: string }>(`select format('%I.%I', schemaname, tablename) as t from pg_tables where schemaname = $1`, [schema]);
    for (const r of rows) await c.query(`vacuum analyze ${r.t}`);
  } finally {
    await c.end();
  }
}

/**
 * stateproof through its public runtime: `enqueueMany` per batch; each worker loops `claim({ limit:
 * batch })` and completes each claimed task with `complete(task)` (compare-and-set on the lease
 * token), one handler at a time per worker, until a claim comes back empty.
 */
export class StateproofQueue implements QueueSystem {
  readonly name = 'stateproof';
  readonly settings: string;
  private rt: Runtime | undefined;
  private jobs: QueueHandle<Order, unknown> | undefined;

  constructor(
    private readonly o: QueueSettings,
    private readonly schema: string,
    /** `concurrent`: a worker runs the tasks of its batch together, as a pg-boss batch handler does; `sequential`: one after another. */
    private readonly within: 'concurrent' | 'sequential' = 'concurrent',
  ) {
    this.settings = `openPostgresAdapter({ maxConnections: ${o.connections} }), openRuntime (warn mode, maintenance every 1 s), ${o.workers} workers each looping claim({ limit: ${o.batch} }) then complete(task) for each task, ${within === 'concurrent' ? 'the tasks of a batch concurrently' : 'one task at a time'}`;
  }

  async setup(): Promise<void> {
    const adapter = await openPostgresAdapter({ url: this.o.url, namespace: this.schema, maxConnections: this.o.connections });
    this.rt = await openRuntime({ adapter, app: 'bench', deployment: 'bench', surfaces: BENCH_SURFACES, registry: benchRegistry, mode: 'warn', logger: { warn: () => undefined } });
    this.jobs = this.rt.use(benchJobs) as QueueHandle<Order, unknown>;
  }

  async enqueue(payloads: readonly Order[]): Promise<void> {
    await this.jobs!.enqueueMany(payloads.map((payload) => ({ payload })));
  }

  async process(n: number): Promise<Processed> {
    const jobs = this.jobs!;
    let done = 0;
    const startedAt = performance.now();
    await Promise.all(
      Array.from({ length: this.o.workers }, async (_, w) => {
        for (;;) {
          const tasks = await jobs.claim({ worker: `bench-${w}`, limit: this.o.batch });
          if (tasks.length === 0) return;
          const run = async (task: (typeof tasks)[number]) => {
            handle(task.payload);
            await jobs.complete(task);
            done++;
          };
          if (this.within === 'concurrent') await Promise.all(tasks.map(run));
          else for (const task of tasks) await run(task);
        }
      }),
    );
    const endedAt = performance.now();
    if (done !== n) throw new Error(`postgres bench: stateproof completed ${done} of ${n} tasks`);
    return { startedAt, endedAt };
  }

  async reset(): Promise<void> {
    const c = await this.jobs!.counters();
    if (c.queued !== 0 || c.running !== 0) throw new Error(`postgres bench: stateproof queue not drained (${JSON.stringify(c)})`);
    await vacuumSchema(this.o.url, this.schema, `delete from "${this.schema}".tasks_done`);
  }

  async close(): Promise<void> {
    await this.rt?.close();
  }
}

/**
 * pg-boss 12: `insert(name, jobs)` per batch; each worker loops `fetch(name, { batchSize })` and
 * settles the batch with one `complete(name, jobs)` (fenced to the fetched attempts), which is what
 * `work()` with `batchSize` does inside; pool `max` as the others; defaults otherwise.
 */
export class PgBossQueue implements QueueSystem {
  readonly name = 'pg-boss';
  readonly settings: string;
  private boss: PgBoss | undefined;
  private static readonly QUEUE = 'bench';

  constructor(
    private readonly o: QueueSettings,
    private readonly schema: string,
  ) {
    this.settings = `new PgBoss({ schema, max: ${o.connections} }), createQueue (standard policy), insert(name, jobs) per batch, ${o.workers} workers each looping fetch(name, { batchSize: ${o.batch} }) then one complete(name, jobs) per batch`;
  }

  async setup(): Promise<void> {
    this.boss = new PgBoss({ connectionString: this.o.url, schema: this.schema, max: this.o.connections, application_name: 'stateproof-bench-pgboss' } as ConstructorParameters<typeof PgBoss>[0]);
    this.boss.on('error', () => undefined);
    await this.boss.start();
    await this.boss.createQueue(PgBossQueue.QUEUE);
  }

  async enqueue(payloads: readonly Order[]): Promise<void> {
    await this.boss!.insert(PgBossQueue.QUEUE, payloads.map((data) => ({ data: data as object })));
  }

  async process(n: number): Promise<Processed> {
    const boss = this.boss!;
    let done = 0;
    const startedAt = performance.now();
    await Promise.all(
      Array.from({ length: this.o.workers }, async () => {
        for (;;) {
          const jobs = await boss.fetch<Order>(PgBossQueue.QUEUE, { batchSize: this.o.batch });
          if (jobs.length === 0) return;
          for (const job of jobs) handle(job.data);
          const r = await boss.complete(PgBossQueue.QUEUE, jobs.map((j) => ({ id: j.id, retryCount: (j as unknown as { retryCount: number }).retryCount })));
          done += (r as { affected?: number }).affected ?? 0;
        }
      }),
    );
    const endedAt = performance.now();
    if (done !== n) throw new Error(`postgres bench: pg-boss completed ${done} of ${n} jobs`);
    return { startedAt, endedAt };
  }

  async reset(): Promise<void> {
    await this.boss!.deleteAllJobs(PgBossQueue.QUEUE);
    await vacuumSchema(this.o.url, this.schema);
  }

  async close(): Promise<void> {
    await this.boss?.stop({ graceful: false, wait: true } as Parameters<PgBoss['stop']>[0]);
  }
}

/**
 * graphile-worker 0.18: `addJobs` per batch through WorkerUtils; a runner per round with
 * `concurrency` = workers, the batching its performance page recommends for throughput (local
 * queue of workers × batch jobs, completions and failures batched with delay 0), pollInterval 10 ms,
 * noHandleSignals, on a pg Pool of the same size kept across rounds. Processing is timed from the
 * local queue's first fetch (runner start-up excluded) until the jobs table is empty, that is until
 * the batched completions were committed.
 */
export class GraphileQueue implements QueueSystem {
  readonly name = 'graphile-worker';
  readonly settings: string;
  private pool: pg.Pool | undefined;
  private utils: WorkerUtils | undefined;
  private readonly logger = new Logger(() => () => undefined);

  constructor(
    private readonly o: QueueSettings,
    private readonly schema: string,
  ) {
    this.settings = `pg.Pool({ max: ${o.connections} }), WorkerUtils.addJobs per batch, run({ concurrency: ${o.workers}, pollInterval: 10, noHandleSignals: true, preset: { worker: { localQueue: { size: ${o.workers * o.batch} }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } } })`;
  }

  async setup(): Promise<void> {
    this.pool = new pg.Pool({ connectionString: this.o.url, max: this.o.connections, application_name: 'stateproof-bench-graphile' });
    this.pool.on('error', () => undefined);
    this.pool.on('connect', (client) => client.on('error', () => undefined));
    this.utils = await makeWorkerUtils({ pgPool: this.pool, schema: this.schema, logger: this.logger });
    await this.utils.migrate();
  }

  async enqueue(payloads: readonly Order[]): Promise<void> {
    await this.utils!.addJobs(payloads.map((payload) => ({ identifier: 'bench', payload })));
  }

  async process(n: number): Promise<Processed> {
    const events = new EventEmitter() as WorkerEvents;
    let startedAt: number | undefined;
    let succeeded = 0;
    let allSucceeded: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (allSucceeded = resolve));
    events.on('localQueue:init', () => (startedAt ??= performance.now()));
    events.on('worker:getJob:start', () => (startedAt ??= performance.now()));
    events.on('job:success', () => {
      if (++succeeded === n) allSucceeded();
    });
    const runner = await run({
      pgPool: this.pool!,
      schema: this.schema,
      concurrency: this.o.workers,
      pollInterval: 10,
      noHandleSignals: true,
      logger: this.logger,
      events,
      taskList: { bench: async (payload) => handle(payload as Order) },
      preset: { worker: { localQueue: { size: this.o.workers * this.o.batch }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    });
    const watcher = new pg.Client({ connectionString: this.o.url, application_name: 'stateproof-bench-admin' });
    await watcher.connect();
    try {
      await settled;
      // Completions are batched: the last ones are durable once the rows are gone.
      for (;;) {
        const { rows } = await watcher.query<{ n: number }>(`select count(*)::integer as n from "${this.schema}"._private_jobs`);
        if (rows[0]?.n === 0) break;
        await new Promise((r) => setTimeout(r, 1));
      }
      const endedAt = performance.now();
      return { startedAt: startedAt ?? endedAt, endedAt };
    } finally {
      await watcher.end();
      await runner.stop();
    }
  }

  async reset(): Promise<void> {
    await vacuumSchema(this.o.url, this.schema);
  }

  async close(): Promise<void> {
    await this.utils?.release();
    await this.pool?.end();
  }
}
