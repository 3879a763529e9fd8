import type {
  BullMqConnection,
  BullMqJobOptions,
  BullMqModule,
  BullMqQueue as BullMqProducer,
} from '../peers/peer-modules.js';
import { loadPeers } from '../peers/load-peers.js';
import type { Order } from '../postgres/surfaces.js';
import { handle, type Processed, type RedisQueueSettings, type RedisQueueSystem } from './queue-system.js';

/**
 * Retention of finished jobs. BullMQ keeps every finished job unless told otherwise, and its
 * going-to-production guide says to set both. Completed jobs are kept an hour, failed ones a day:
 * like stateproof, which keeps a finished task readable (`get`) instead of deleting it, a completed
 * job stays readable (`getJob`) for a while; `removeOnComplete: true`, which deletes it at once,
 * would compare a queue that keeps its results with one that drops them.
 */
export const BULLMQ_JOB_OPTIONS: BullMqJobOptions = {
  removeOnComplete: { age: 3600 },
  removeOnFail: { age: 24 * 3600 },
};

/**
 * BullMQ 6 with its documented production settings: a Queue whose connection has
 * `enableOfflineQueue: false` adds each batch with `addBulk`; per round, `workers` Workers (each with
 * its own connections, `maxRetriesPerRequest: null`) with `concurrency: batch` run a processor that
 * looks at the payload. A Worker fetches a job per `moveToActive` and completes it with
 * `moveToFinished` (which checks the job's lock token and fetches the next job in the same script).
 * Workers are created and connected before the clock starts (as stateproof's runtime is open
 * before); processing ends when the last `completed` event fired, that is once its
 * `moveToFinished` was acknowledged.
 */
export class BullMqQueue implements RedisQueueSystem {
  readonly name = 'BullMQ';
  readonly settings: string;
  private module: BullMqModule | undefined;
  private queue: BullMqProducer | undefined;
  private readonly host: string;
  private readonly port: number;
  private static readonly NAME = 'bench';

  constructor(
    private readonly o: RedisQueueSettings,
    /** The key prefix (BullMQ's `prefix` option): this side's keys, deleted after the run. */
    private readonly prefix: string,
  ) {
    const u = new URL(o.url);
    this.host = u.hostname;
    this.port = Number(u.port);
    this.settings = `BullMQ 6.7.6 on ioredis 6.1.0: new Queue(name, { connection: { enableOfflineQueue: false }, defaultJobOptions: { removeOnComplete: { age: 3600 }, removeOnFail: { age: 86400 } } }), addBulk per batch; ${o.workers} Workers, each new Worker(name, processor, { connection: { maxRetriesPerRequest: null }, concurrency: ${o.batch} }) (its own two connections), defaults otherwise (lockDuration 30 s, stalled checks every 30 s)`;
  }

  private connection(role: 'producer' | 'worker'): BullMqConnection {
    return role === 'producer'
      ? { host: this.host, port: this.port, enableOfflineQueue: false }
      : { host: this.host, port: this.port, maxRetriesPerRequest: null };
  }

  async setup(): Promise<void> {
    this.module = (await loadPeers()).bullmq;
    this.queue = new this.module.Queue(BullMqQueue.NAME, {
      connection: this.connection('producer'),
      prefix: this.prefix,
      defaultJobOptions: BULLMQ_JOB_OPTIONS,
    });
    await this.queue.waitUntilReady();
  }

  async enqueue(payloads: readonly Order[]): Promise<void> {
    await this.queue!.addBulk(payloads.map((data) => ({ name: 'order', data })));
  }

  async process(n: number): Promise<Processed> {
    const { Worker } = this.module!;
    let done = 0;
    let settle: (error?: Error) => void = () => undefined;
    const finished = new Promise<void>((resolve, reject) => {
      settle = (error) => (error ? reject(error) : resolve());
    });
    const workers = Array.from({ length: this.o.workers }, () => {
      const w = new Worker(BullMqQueue.NAME, async (job) => handle(job.data as Order), {
        connection: this.connection('worker'),
        prefix: this.prefix,
        concurrency: this.o.batch,
        autorun: false,
      });
      w.on('completed', () => {
        if (++done === n) settle();
      });
      w.on('failed', (_job, error) => settle(error));
      w.on('error', (error) => settle(error));
      return w;
    });
    try {
      await Promise.all(workers.map((w) => w.waitUntilReady()));
      const startedAt = performance.now();
      for (const w of workers) void w.run().catch((error: unknown) => settle(error as Error));
      await finished;
      const endedAt = performance.now();
      return { startedAt, endedAt };
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
  }

  async reset(): Promise<void> {
    const counts = await this.queue!.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'failed');
    if (Object.values(counts).some((c) => c !== 0))
      throw new Error(`redis bench: BullMQ queue not drained (${JSON.stringify(counts)})`);
    await this.queue!.obliterate({ force: true });
  }

  async close(): Promise<void> {
    await this.queue?.close();
  }
}
