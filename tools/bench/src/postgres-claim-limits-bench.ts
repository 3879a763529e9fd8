import { randomBytes } from 'node:crypto';
import { createRegistry, openRuntime, queue, type QueueHandle, type QueueSurface } from '@stateproof/core';
import { openPostgresAdapter } from '@stateproof/adapter-postgres';
import type { Benchmark, BenchResult, BenchRow } from './benchmark.js';
import { median, perSecond, rotations } from './postgres/measure.js';
import { ORDER_SCHEMA, order, type Order } from './postgres/surfaces.js';
import { vacuumSchema } from './postgres/queue-system.js';
import { dropSchema, PG_URL, serverFacts, serverUnavailable } from './postgres/server-admin.js';

/** Defaults at scale 1. */
const BACKLOG = 100_000;
const ENQUEUE_BATCH = 2_000;
const CLAIM = 16;
const ROUNDS = 5;
const CLAIMS_PER_ROUND = 40;
const QUEUES = ['a', 'b', 'c', 'd'];

/** The concurrency limits of each side; each claim asks for CLAIM tasks and each limit is CLAIM too. */
const SIDES = [
  { name: 'no limits', concurrency: undefined },
  { name: 'global', concurrency: { global: CLAIM } },
  { name: 'per queue', concurrency: { perQueue: CLAIM } },
  { name: 'global and per queue', concurrency: { global: CLAIM, perQueue: CLAIM } },
] as const;
type SideName = (typeof SIDES)[number]['name'];

/**
 * What a concurrency limit costs a claim on Postgres when the backlog is large: one surface per side
 * (no limits, a global limit, a per-queue limit, both), each holding the same backlog of due tasks
 * over four named queues, in one schema of one server. Each round runs, per side in rotated order,
 * a number of claim-then-complete steps of CLAIM tasks; the ratio is the claim rate of the side
 * with no limits over that of the limited side (medians of the rounds). A claim under a limit takes
 * an advisory lock and counts the running attempts; it should cost little more than one without.
 */
export const postgresClaimLimitsBenchmark: Benchmark = {
  name: 'postgres-claim-limits',
  description: 'Postgres claims under concurrency limits against claims without, at a large backlog',
  async run({ scale, progress }): Promise<BenchResult> {
    const name = 'postgres-claim-limits';
    const down = await serverUnavailable(PG_URL);
    if (down) return { name, rows: [], ratios: {}, skipped: down };
    const backlog = Math.round(BACKLOG * scale);
    const namespace = `sp_bench_limits_${randomBytes(3).toString('hex')}`;
    const registry = createRegistry();
    const surfaces = SIDES.map(
      (side, i) =>
        queue(`bench.limits.${i}`, {
          durability: 'shared-durable',
          payload: ORDER_SCHEMA,
          leaseMs: 600_000,
          ...(side.concurrency ? { concurrency: side.concurrency } : {}),
          registry,
          owner: 'bench',
          recovery: 'benchmark data, dropped after the run',
        }) as QueueSurface<Order, unknown>,
    );
    const adapter = await openPostgresAdapter({ url: PG_URL, namespace, maxConnections: 4 });
    const rt = await openRuntime({
      adapter,
      app: 'bench',
      deployment: 'bench',
      surfaces,
      registry,
      mode: 'warn',
      logger: { warn: () => undefined },
    });
    try {
      const handles = new Map<SideName, QueueHandle<Order, unknown>>(
        SIDES.map((side, i) => [side.name, rt.use(surfaces[i]!) as QueueHandle<Order, unknown>]),
      );
      for (const [side, h] of handles) {
        progress(`enqueueing ${backlog} tasks for the side ${side}`);
        for (let i = 0; i < backlog; i += ENQUEUE_BATCH) {
          const n = Math.min(ENQUEUE_BATCH, backlog - i);
          await h.enqueueMany(
            Array.from({ length: n }, (_, j) => ({ queue: QUEUES[(i + j) % QUEUES.length]!, payload: order(i + j) })),
          );
        }
      }
      // Statistics of the full tables, as a long-running server would have them.
      await vacuumSchema(PG_URL, namespace);
      const times = new Map<SideName, number[]>(SIDES.map((s) => [s.name, []]));
      const claimed = new Map<SideName, number>(SIDES.map((s) => [s.name, 0]));
      for (const [r, turn] of rotations(
        SIDES.map((s) => s.name),
        ROUNDS,
      ).entries()) {
        for (const side of turn) {
          const h = handles.get(side)!;
          const t0 = performance.now();
          for (let k = 0; k < CLAIMS_PER_ROUND; k++) {
            const tasks = await h.claim({ worker: 'bench', limit: CLAIM });
            if (tasks.length !== CLAIM) throw new Error(`bench: ${side} claimed ${tasks.length} of ${CLAIM} tasks`);
            await Promise.all(tasks.map((t) => h.complete(t)));
            claimed.set(side, claimed.get(side)! + tasks.length);
          }
          times.get(side)!.push(performance.now() - t0);
        }
        progress(`round ${r + 1} of ${ROUNDS} done`);
      }
      const facts = await serverFacts(PG_URL);
      const rows: BenchRow[] = SIDES.map((s) => {
        const ms = median(times.get(s.name)!);
        const ops = CLAIMS_PER_ROUND * CLAIM;
        return {
          label: `claim ${CLAIM} + complete, ${s.name}`,
          operations: ops,
          ms,
          opsPerSec: perSecond(ops, ms),
          notes: `median of ${ROUNDS} rounds; backlog ${backlog} due tasks over ${QUEUES.length} queues; ${facts}`,
        };
      });
      const rate = (side: SideName) => rows.find((r) => r.label.endsWith(`, ${side}`))!.opsPerSec;
      return {
        name,
        rows,
        ratios: {
          'global limit/no limits': rate('global') / rate('no limits'),
          'per-queue limit/no limits': rate('per queue') / rate('no limits'),
          'both limits/no limits': rate('global and per queue') / rate('no limits'),
        },
        targets: { 'global limit/no limits': 0.7 },
      };
    } finally {
      await rt.close();
      await dropSchema(PG_URL, namespace);
    }
  },
};
