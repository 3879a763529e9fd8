import { openRuntime, type QueueHandle, type Runtime } from '@stateproof/core';
import { openPostgresAdapter } from '@stateproof/adapter-postgres';
import { handle, vacuumSchema, type Processed, type QueueSettings, type QueueSystem } from './queue-system.js';
import { BENCH_SURFACES, benchJobs, benchRegistry, type Order } from './surfaces.js';

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
    const adapter = await openPostgresAdapter({
      url: this.o.url,
      namespace: this.schema,
      maxConnections: this.o.connections,
    });
    this.rt = await openRuntime({
      adapter,
      app: 'bench',
      deployment: 'bench',
      surfaces: BENCH_SURFACES,
      registry: benchRegistry,
      mode: 'warn',
      logger: { warn: () => undefined },
    });
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
    if (c.queued !== 0 || c.running !== 0)
      throw new Error(`postgres bench: stateproof queue not drained (${JSON.stringify(c)})`);
    await vacuumSchema(this.o.url, this.schema, `delete from "${this.schema}".tasks_done`);
  }

  async close(): Promise<void> {
    await this.rt?.close();
  }
}
