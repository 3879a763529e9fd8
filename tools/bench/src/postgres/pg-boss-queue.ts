import type { PgBossInstance } from '../peers/peer-modules.js';
import { loadPeers } from '../peers/load-peers.js';
import { handle, vacuumSchema, type Processed, type QueueSettings, type QueueSystem } from './queue-system.js';
import type { Order } from './surfaces.js';

/**
 * pg-boss 12: `insert(name, jobs)` per batch; each worker loops `fetch(name, { batchSize })` and
 * settles the batch with one `complete(name, jobs)` (fenced to the fetched attempts), which is what
 * `work()` with `batchSize` does inside; pool `max` as the others; defaults otherwise.
 */
export class PgBossQueue implements QueueSystem {
  readonly name = 'pg-boss';
  readonly settings: string;
  private boss: PgBossInstance | undefined;
  private static readonly QUEUE = 'bench';

  constructor(
    private readonly o: QueueSettings,
    private readonly schema: string,
  ) {
    this.settings = `new PgBoss({ schema, max: ${o.connections} }), createQueue (standard policy), insert(name, jobs) per batch, ${o.workers} workers each looping fetch(name, { batchSize: ${o.batch} }) then one complete(name, jobs) per batch`;
  }

  async setup(): Promise<void> {
    const { PgBoss } = (await loadPeers()).pgBoss;
    this.boss = new PgBoss({
      connectionString: this.o.url,
      schema: this.schema,
      max: this.o.connections,
      application_name: 'stateproof-bench-pgboss',
    });
    this.boss.on('error', () => undefined);
    await this.boss.start();
    await this.boss.createQueue(PgBossQueue.QUEUE);
  }

  async enqueue(payloads: readonly Order[]): Promise<void> {
    await this.boss!.insert(
      PgBossQueue.QUEUE,
      payloads.map((data) => ({ data: data as object })),
    );
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
          const r = await boss.complete(
            PgBossQueue.QUEUE,
            jobs.map((j) => ({ id: j.id, retryCount: j.retryCount })),
          );
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
    await this.boss?.stop({ graceful: false, wait: true });
  }
}
