import { randomBytes } from 'node:crypto';
import { redisServerUnavailable } from '@stateproof/adapter-redis/conformance';
import type { Benchmark, BenchRow } from './benchmark.js';
import { BENCH_CONFIGURATIONS, startBenchServer, type BenchServer } from './redis/bench-servers.js';
import { deleteKeys } from './redis/delete-keys.js';
import { redisQueueComparison } from './redis/queue-comparison.js';
import { redisRecordLogComparison } from './redis/record-log.js';

/** Defaults at scale 1. */
const TASKS = 10_000;
const ENQUEUE_BATCH = 100;
const WORKERS = 4;
const BATCH = 10;
const QUEUE_ROUNDS = 5;
const RECORD_OPERATIONS = 5_000;
const RECORD_CALLERS = 4;
const RECORD_ROUNDS = 21;

/** The targets: stateproof's queue ahead of BullMQ's by a fifth; records and logs within a tenth of the raw driver. */
const QUEUE_TARGET = 1.2;
const RECORD_TARGET = 0.9;

/**
 * The Redis adapter against BullMQ and the raw driver, one run: on two redis-servers of its own,
 * one durable (AOF, fsync at every write) and one without persistence, it measures record put/get
 * and log append through the runtime against an ioredis client running the adapter's own scripts,
 * and queue throughput (enqueue N in batches, then W workers take and complete until drained)
 * against BullMQ. On each server both sides run in the same rounds, interleaved in rotating order,
 * after a warm-up; medians are reported.
 */
export const redisBenchmark: Benchmark = {
  name: 'redis',
  description:
    'Redis adapter on a durable and a non-persistent server of its own: queue throughput against BullMQ; record put/get and log append against raw ioredis running the same scripts',
  async run({ scale, progress }) {
    const missing = redisServerUnavailable();
    if (missing) return { name: 'Redis', rows: [], ratios: {}, skipped: missing };
    const rows: BenchRow[] = [];
    const ratios: Record<string, number> = {};
    const targets: Record<string, number> = {};
    const id = `${process.pid}-${randomBytes(3).toString('hex')}`;
    for (const configuration of BENCH_CONFIGURATIONS) {
      let server: BenchServer | undefined;
      try {
        server = await startBenchServer(configuration);
        const label = configuration.name;
        progress(`${label}: ${server.facts}`);
        const first = rows.length;
        const kv = await redisRecordLogComparison({
          url: server.url,
          namespace: `bench-kv-${id}`,
          callers: RECORD_CALLERS,
          operations: Math.max(200, Math.round(RECORD_OPERATIONS * scale)),
          rounds: RECORD_ROUNDS,
          warmup: 500,
          label,
          progress,
        });
        rows.push(...kv.rows);
        for (const [k, v] of Object.entries(kv.ratios)) {
          ratios[k] = v;
          targets[k] = RECORD_TARGET;
        }
        await deleteKeys(server.url, '*');
        const q = await redisQueueComparison({
          url: server.url,
          label,
          tasks: Math.max(ENQUEUE_BATCH, Math.round(TASKS * scale)),
          enqueueBatch: ENQUEUE_BATCH,
          workers: WORKERS,
          batch: BATCH,
          rounds: QUEUE_ROUNDS,
          warmup: 2_000,
          namespace: `bench-q-${id}`,
          prefix: `bull-${id}`,
          diagnose: true,
          progress,
        });
        rows.push(...q.rows);
        Object.assign(ratios, q.ratios);
        targets[`${label}: stateproof/BullMQ queue total`] = QUEUE_TARGET;
        // The server facts (and any runtime warning) go with the configuration's first row.
        const notes = [`${configuration.name} server: ${server.facts}`];
        if (kv.warnings.length > 0) notes.push(`runtime warnings: ${kv.warnings.join('; ')}`);
        rows[first] = { ...rows[first]!, notes: `${rows[first]!.notes ?? ''}; ${notes.join('; ')}` };
      } finally {
        await server?.server.stop();
      }
    }
    return { name: 'Redis', rows, ratios, targets };
  },
};
