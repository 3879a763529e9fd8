import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dropPostgresNamespace } from '@stateproof/adapter-postgres';
import type { Benchmark, BenchRow } from './benchmark.js';
import { countStatements, load1, median, perSecond, rotations } from './postgres/measure.js';
import { loadPeers } from './peers/load-peers.js';
import { GraphileQueue } from './postgres/graphile-queue.js';
import { PgBossQueue } from './postgres/pg-boss-queue.js';
import type { QueueSettings, QueueSystem } from './postgres/queue-system.js';
import { StateproofQueue } from './postgres/stateproof-queue.js';
import { recordLogComparison } from './postgres/record-log.js';
import { order } from './postgres/surfaces.js';
import { dropSchema, PG_URL, serverFacts, serverUnavailable } from './postgres/server-admin.js';

/** The server every side uses (override with STATEPROOF_PG_URL). */
const URL = PG_URL;

/** Defaults at scale 1. */
const TASKS = 10_000;
const ENQUEUE_BATCH = 500;
const WORKERS = 4;
const CLAIM_BATCH = 100;
const QUEUE_CONNECTIONS = 10;
const QUEUE_ROUNDS = 3;
const RECORD_OPERATIONS = 1_000;
const RECORD_CONNECTIONS = 4;
const RECORD_ROUNDS = 15;

interface QueueRound {
  readonly enqueueMs: number;
  readonly processMs: number;
  readonly load: number;
}

/** Enqueues `n` tasks in batches, then runs the workers until drained. */
async function queueRound(system: QueueSystem, n: number): Promise<QueueRound> {
  const load = load1();
  const t0 = performance.now();
  for (let i = 0; i < n; i += ENQUEUE_BATCH) {
    await system.enqueue(Array.from({ length: Math.min(ENQUEUE_BATCH, n - i) }, (_, j) => order(i + j)));
  }
  const enqueueMs = performance.now() - t0;
  const { startedAt, endedAt } = await system.process(n);
  await system.reset();
  return { enqueueMs, processMs: endedAt - startedAt, load };
}

/**
 * The Postgres adapter against its peers and the raw driver, one run, one database: queue
 * throughput (enqueue N in batches, then W workers claim and complete until drained) of stateproof,
 * pg-boss and graphile-worker with the same pool size, workers, batch sizes and payloads; record
 * put/get and log append through the runtime against the same statements on a bare pg Pool. Every
 * side runs several times, interleaved in rotating order, after a warm-up; medians are reported.
 */
export const postgresBenchmark: Benchmark = {
  name: 'postgres',
  description:
    'Postgres adapter: queue throughput against pg-boss and graphile-worker; record put/get and log append against raw pg',
  async run({ scale, progress }) {
    const unavailable = await serverUnavailable(URL);
    if (unavailable) return { name: 'Postgres', rows: [], ratios: {}, skipped: unavailable };
    const facts = await serverFacts(URL);
    progress(facts);
    const prefix = `spbench_${process.pid}_${randomBytes(3).toString('hex')}`;
    const ours = { kv: `${prefix}_kv`, queue: `${prefix}_q` };
    const peers = { pgboss: `${prefix}_pgboss`, graphile: `${prefix}_gw` };
    const rows: BenchRow[] = [];
    const ratios: Record<string, number> = {};
    const targets: Record<string, number> = {};
    const notes: string[] = [facts];
    const systems: QueueSystem[] = [];
    try {
      // Records and logs against raw pg.
      const operations = Math.max(100, Math.round(RECORD_OPERATIONS * scale));
      const kv = await recordLogComparison({
        url: URL,
        schema: ours.kv,
        connections: RECORD_CONNECTIONS,
        operations,
        rounds: RECORD_ROUNDS,
        warmup: 300,
        progress,
      });
      rows.push(...kv.rows);
      for (const [k, v] of Object.entries(kv.ratios)) {
        ratios[k] = v;
        targets[k] = 0.9;
      }
      if (kv.warnings.length > 0) notes.push(`runtime warnings: ${kv.warnings.join('; ')}`);

      // Queues.
      const n = Math.max(ENQUEUE_BATCH, Math.round(TASKS * scale));
      const settings: QueueSettings = {
        url: URL,
        connections: QUEUE_CONNECTIONS,
        workers: WORKERS,
        batch: CLAIM_BATCH,
      };
      systems.push(
        new StateproofQueue(settings, ours.queue),
        new PgBossQueue(settings, peers.pgboss),
        new GraphileQueue(settings, peers.graphile),
      );
      for (const s of systems) {
        await s.setup();
        await queueRound(s, 2_000); // warm-up
        progress(`${s.name}: ${s.settings}`);
      }
      const results = new Map<QueueSystem, QueueRound[]>(systems.map((s) => [s, []]));
      for (const [r, sequence] of rotations(systems, QUEUE_ROUNDS).entries()) {
        for (const s of sequence) {
          const round = await queueRound(s, n);
          results.get(s)!.push(round);
          progress(
            `round ${r + 1} ${s.name}: enqueue ${Math.round(perSecond(n, round.enqueueMs))}/s, processing ${Math.round(perSecond(n, round.processMs))}/s, total ${Math.round(perSecond(n, round.enqueueMs + round.processMs))}/s (load ${round.load})`,
          );
        }
      }
      // One more, untimed round per system: statements sent while processing, per task.
      const counted = Math.max(1_000, Math.round(n / 5));
      const statementsPerTask = new Map<QueueSystem, number>();
      for (const s of systems) {
        for (let i = 0; i < counted; i += ENQUEUE_BATCH)
          await s.enqueue(Array.from({ length: Math.min(ENQUEUE_BATCH, counted - i) }, (_, j) => order(i + j)));
        const statements = await countStatements(
          [pg.Client, (await loadPeers()).pg.Client],
          async () => void (await s.process(counted)),
          (sql) => sql.startsWith('select count(*)::integer as n from'),
        );
        await s.reset();
        statementsPerTask.set(s, statements / counted);
        progress(
          `${s.name}: ${statements} statements to process ${counted} tasks (${(statements / counted).toFixed(3)} per task)`,
        );
      }
      const rates = new Map(
        systems.map((s) => {
          const rs = results.get(s)!;
          return [
            s,
            {
              enqueue: median(rs.map((r) => perSecond(n, r.enqueueMs))),
              processing: median(rs.map((r) => perSecond(n, r.processMs))),
              total: median(rs.map((r) => perSecond(n, r.enqueueMs + r.processMs))),
              loads: rs.map((r) => r.load),
            },
          ];
        }),
      );
      for (const s of systems) {
        const x = rates.get(s)!;
        const common = `median of ${QUEUE_ROUNDS} rounds, load ${Math.min(...x.loads)}–${Math.max(...x.loads)}`;
        rows.push({
          label: `${s.name} queue enqueue`,
          operations: n,
          ms: (n / x.enqueue) * 1000,
          opsPerSec: x.enqueue,
          notes: `batches of ${ENQUEUE_BATCH}; ${common}`,
        });
        rows.push({
          label: `${s.name} queue processing`,
          operations: n,
          ms: (n / x.processing) * 1000,
          opsPerSec: x.processing,
          notes: `${WORKERS} workers, claim batch ${CLAIM_BATCH}, ${QUEUE_CONNECTIONS} connections; ${common}; ${statementsPerTask.get(s)!.toFixed(3)} statements per task`,
        });
        rows.push({
          label: `${s.name} queue total`,
          operations: n,
          ms: (n / x.total) * 1000,
          opsPerSec: x.total,
          notes: s.settings,
        });
      }
      const ourRates = rates.get(systems[0]!)!;
      const faster = systems.slice(1).reduce((a, b) => (rates.get(b)!.total > rates.get(a)!.total ? b : a));
      const peer = rates.get(faster)!;
      // Stable keys: against the faster peer (the target), and against each peer by name.
      progress(`faster peer: ${faster.name}`);
      ratios['stateproof/faster peer queue total'] = ourRates.total / peer.total;
      targets['stateproof/faster peer queue total'] = 1;
      ratios['stateproof/faster peer queue processing'] = ourRates.processing / peer.processing;
      ratios['stateproof/faster peer queue enqueue'] = ourRates.enqueue / peer.enqueue;
      for (const other of systems.slice(1))
        ratios[`stateproof/${other.name} queue total`] = ourRates.total / rates.get(other)!.total;
      // The server facts (and any runtime warning) go with the first row.
      rows[0] = { ...rows[0]!, notes: `${rows[0]!.notes ?? ''}; ${notes.join('; ')}` };
      return { name: 'Postgres', rows, ratios, targets };
    } finally {
      for (const s of systems)
        await s.close().catch((e: unknown) => progress(`closing ${s.name}: ${(e as Error).message}`));
      for (const schema of Object.values(ours))
        await dropPostgresNamespace({ url: URL, namespace: schema }).catch((e: unknown) =>
          progress(`dropping ${schema}: ${(e as Error).message}`),
        );
      for (const schema of Object.values(peers))
        await dropSchema(URL, schema).catch((e: unknown) => progress(`dropping ${schema}: ${(e as Error).message}`));
    }
  },
};
