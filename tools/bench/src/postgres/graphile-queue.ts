import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { GraphileWorkerModule, GraphileWorkerUtils } from '../peers/peer-modules.js';
import { loadPeers } from '../peers/load-peers.js';
import { handle, vacuumSchema, type Processed, type QueueSettings, type QueueSystem } from './queue-system.js';
import type { Order } from './surfaces.js';

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
  private utils: GraphileWorkerUtils | undefined;
  private worker: GraphileWorkerModule | undefined;
  private logger: unknown;

  constructor(
    private readonly o: QueueSettings,
    private readonly schema: string,
  ) {
    this.settings = `pg.Pool({ max: ${o.connections} }), WorkerUtils.addJobs per batch, run({ concurrency: ${o.workers}, pollInterval: 10, noHandleSignals: true, preset: { worker: { localQueue: { size: ${o.workers * o.batch} }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } } })`;
  }

  async setup(): Promise<void> {
    this.pool = new pg.Pool({
      connectionString: this.o.url,
      max: this.o.connections,
      application_name: 'stateproof-bench-graphile',
    });
    this.pool.on('error', () => undefined);
    this.pool.on('connect', (client) => client.on('error', () => undefined));
    this.worker = (await loadPeers()).graphileWorker;
    this.logger = new this.worker.Logger(() => () => undefined);
    this.utils = await this.worker.makeWorkerUtils({ pgPool: this.pool, schema: this.schema, logger: this.logger });
    await this.utils.migrate();
  }

  async enqueue(payloads: readonly Order[]): Promise<void> {
    await this.utils!.addJobs(payloads.map((payload) => ({ identifier: 'bench', payload })));
  }

  async process(n: number): Promise<Processed> {
    const events = new EventEmitter();
    let startedAt: number | undefined;
    let succeeded = 0;
    let allSucceeded: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (allSucceeded = resolve));
    events.on('localQueue:init', () => (startedAt ??= performance.now()));
    events.on('worker:getJob:start', () => (startedAt ??= performance.now()));
    events.on('job:success', () => {
      if (++succeeded === n) allSucceeded();
    });
    const runner = await this.worker!.run({
      pgPool: this.pool!,
      schema: this.schema,
      concurrency: this.o.workers,
      pollInterval: 10,
      noHandleSignals: true,
      logger: this.logger,
      events,
      taskList: { bench: async (payload) => handle(payload as Order) },
      preset: {
        worker: { localQueue: { size: this.o.workers * this.o.batch }, completeJobBatchDelay: 0, failJobBatchDelay: 0 },
      },
    });
    const watcher = new pg.Client({ connectionString: this.o.url, application_name: 'stateproof-bench-admin' });
    await watcher.connect();
    try {
      await settled;
      // Completions are batched: the last ones are durable once the rows are gone.
      for (;;) {
        const { rows } = await watcher.query<{ n: number }>(
          `select count(*)::integer as n from "${this.schema}"._private_jobs`,
        );
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
