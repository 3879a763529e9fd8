import { openRuntime, type QueueHandle, type Runtime } from '@stateproof/core';
import { openRedisAdapter, type RedisAdapter } from '@stateproof/adapter-redis';
import { BENCH_SURFACES, benchJobs, benchRegistry, type Order } from '../postgres/surfaces.js';
import { deleteKeys } from './delete-keys.js';
import { handle, type Processed, type RedisQueueSettings, type RedisQueueSystem } from './queue-system.js';

/**
 * stateproof through its public runtime on one adapter (one command connection, as one process of
 * an application has): `enqueueMany` per batch; each worker loops `claim({ limit: batch })`, runs
 * the claimed tasks concurrently, each ending with `complete(task)` (compare-and-set on the lease
 * token; the adapter coalesces the completions of one turn into one script), and claims again once
 * they are acknowledged, until a claim comes back empty.
 */
export class StateproofQueue implements RedisQueueSystem {
  readonly name = 'stateproof';
  readonly settings: string;
  private adapter: RedisAdapter | undefined;
  private rt: Runtime | undefined;
  private jobs: QueueHandle<Order, unknown> | undefined;

  constructor(
    private readonly o: RedisQueueSettings,
    private readonly namespace: string,
  ) {
    this.settings = `openRedisAdapter({ url }) (defaults: one command connection), openRuntime (warn mode, maintenance every 1 s), enqueueMany per batch, ${o.workers} workers each looping claim({ limit: ${o.batch} }) then complete(task) for each claimed task concurrently`;
  }

  async setup(): Promise<void> {
    this.adapter = await openRedisAdapter({ url: this.o.url, namespace: this.namespace });
    this.rt = await openRuntime({
      adapter: this.adapter,
      app: 'bench',
      deployment: 'bench',
      surfaces: BENCH_SURFACES,
      registry: benchRegistry,
      mode: 'warn',
      // The volatile server cannot certify shared-durable: warn mode says so once, and runs.
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
          await Promise.all(
            tasks.map(async (task) => {
              handle(task.payload);
              await jobs.complete(task);
              done++;
            }),
          );
        }
      }),
    );
    const endedAt = performance.now();
    if (done !== n) throw new Error(`redis bench: stateproof completed ${done} of ${n} tasks`);
    return { startedAt, endedAt };
  }

  async reset(): Promise<void> {
    const c = await this.jobs!.counters();
    if (c.queued !== 0 || c.running !== 0)
      throw new Error(`redis bench: stateproof queue not drained (${JSON.stringify(c)})`);
    // Finished tasks and stored replies go; the namespace's counters and deployment registry stay.
    await deleteKeys(this.o.url, this.adapter!.ns.pattern, (key) => key.startsWith(this.adapter!.ns.fixed('ns:')));
  }

  async close(): Promise<void> {
    await this.rt?.close();
    await this.adapter?.close();
  }
}
