import { randomBytes } from 'node:crypto';
import { redisServerUnavailable } from '@stateproof/adapter-redis/conformance';
import type { Benchmark, BenchRow } from './benchmark.js';
import { BENCH_CONFIGURATIONS, startBenchServer, type BenchServer } from './redis/bench-servers.js';
import { redisQueueComparison } from './redis/queue-comparison.js';

/** The grid: workers × (stateproof claim limit = BullMQ concurrency per worker). */
const WORKERS = [4, 10] as const;
const BATCHES = [1, 10, 50] as const;
/** Defaults at scale 1 (smaller than the main benchmark's: twelve points per configuration). */
const TASKS = 5_000;
const ENQUEUE_BATCH = 100;
const ROUNDS = 3;

/**
 * The queue comparison of the `redis` benchmark over a grid of parallelism, on the same two
 * servers (durable and without persistence): 4 and 10 workers, each taking 1, 10 or 50 tasks at
 * once (stateproof's claim limit, BullMQ's concurrency per worker). Each point is its own
 * comparison: warm-up, then both sides in rotating order, medians. Ratios only, no diagnosis.
 */
export const redisGridBenchmark: Benchmark = {
  name: 'redis-grid',
  description:
    'Redis queue against BullMQ over a grid (workers 4 and 10; claim limit = concurrency 1, 10, 50), on a durable and a non-persistent server',
  async run({ scale, progress }) {
    const missing = redisServerUnavailable();
    if (missing) return { name: 'Redis queue grid', rows: [], ratios: {}, skipped: missing };
    const rows: BenchRow[] = [];
    const ratios: Record<string, number> = {};
    const targets: Record<string, number> = {};
    const id = `${process.pid}-${randomBytes(3).toString('hex')}`;
    for (const configuration of BENCH_CONFIGURATIONS) {
      let server: BenchServer | undefined;
      try {
        server = await startBenchServer(configuration);
        progress(`${configuration.name}: ${server.facts}`);
        const first = rows.length;
        for (const workers of WORKERS)
          for (const batch of BATCHES) {
            const label = `${configuration.name} w${workers} b${batch}`;
            const q = await redisQueueComparison({
              url: server.url,
              label,
              tasks: Math.max(ENQUEUE_BATCH, Math.round(TASKS * scale)),
              enqueueBatch: ENQUEUE_BATCH,
              workers,
              batch,
              rounds: ROUNDS,
              warmup: 1_000,
              namespace: `grid-q-${id}-${workers}-${batch}`,
              prefix: `grid-bull-${id}-${workers}-${batch}`,
              diagnose: false,
              progress,
            });
            rows.push(...q.rows);
            Object.assign(ratios, q.ratios);
            targets[`${label}: stateproof/BullMQ queue total`] = 1.2;
          }
        rows[first] = {
          ...rows[first]!,
          notes: `${rows[first]!.notes ?? ''}; ${configuration.name} server: ${server.facts}`,
        };
      } finally {
        await server?.server.stop();
      }
    }
    return { name: 'Redis queue grid', rows, ratios, targets };
  },
};
