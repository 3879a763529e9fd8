import pg from 'pg';
import { dropPostgresNamespace } from '@stateproof/adapter-postgres';
import { loadPeers } from '../peers/load-peers.js';
import { GraphileQueue } from './graphile-queue.js';
import { countStatements, load1, median, perSecond, rotations } from './measure.js';
import { PgBossQueue } from './pg-boss-queue.js';
import type { QueueSettings, QueueSystem } from './queue-system.js';
import { dropSchema } from './server-admin.js';
import { ServerCpu } from './server-cpu.js';
import { StateproofQueue } from './stateproof-queue.js';
import { order } from './surfaces.js';

/** One point of the grid: how many workers, how many tasks per enqueue call and per claim. */
export interface GridCellSettings {
  readonly url: string;
  readonly workers: number;
  /** Tasks per enqueue call and per claim (pg-boss: fetch batchSize; graphile-worker: local queue of workers × batch). */
  readonly batch: number;
  /** Tasks per timed round. */
  readonly tasks: number;
  readonly rounds: number;
  /** Tasks of each system's untimed warm-up round. */
  readonly warmup: number;
  /** Connections in each system's pool. */
  readonly connections: number;
  /** Prefix of the schemas of this cell (dropped at the end). */
  readonly prefix: string;
  readonly progress: (line: string) => void;
}

/** One phase of one round of one system: wall time, statements sent and this process's CPU. */
interface Phase {
  readonly ms: number;
  readonly statements: number;
  /** Client CPU (process.cpuUsage, user + system) in µs. */
  readonly cpuUs: number;
  /** CPU of the server backends of this process's connections in µs (NaN when the server's /proc is not readable). */
  readonly serverUs: number;
}

interface Round {
  readonly enqueue: Phase;
  readonly drain: Phase;
  readonly load: number;
}

/** The medians of one system in one cell (rates in tasks/s; per-task figures over all timed rounds). */
export interface GridSide {
  readonly name: string;
  readonly settings: string;
  readonly enqueue: number;
  readonly drain: number;
  readonly total: number;
  /** Per-round rates, for the spread. */
  readonly totals: readonly number[];
  readonly enqueueStatementsPerTask: number;
  readonly drainStatementsPerTask: number;
  readonly enqueueCpuUsPerTask: number;
  readonly drainCpuUsPerTask: number;
  /** Server CPU per task (µs) of the backends serving this side; NaN when not measurable. */
  readonly enqueueServerUsPerTask: number;
  readonly drainServerUsPerTask: number;
}

/** What one cell measured: every system's medians, and the load average seen at each round's start. */
export interface GridCell {
  readonly workers: number;
  readonly batch: number;
  readonly tasks: number;
  readonly sides: readonly GridSide[];
  readonly loads: readonly number[];
}

/** Runs `fn`, counting the statements of every pg client of the process and the CPU it spends. */
async function phase(
  clients: ReadonlyArray<{ prototype: object }>,
  server: ServerCpu,
  fn: () => Promise<number | void>,
): Promise<Phase> {
  const s0 = await server.read();
  const c0 = process.cpuUsage();
  let ms = 0;
  const statements = await countStatements(
    clients,
    async () => {
      const t0 = performance.now();
      const measured = await fn();
      ms = typeof measured === 'number' ? measured : performance.now() - t0;
    },
    // graphile-worker's side: the watcher that waits for the batched completions to commit.
    (sql) => sql.startsWith('select count(*)::integer as n from'),
  );
  const c = process.cpuUsage(c0);
  const serverUs = ServerCpu.between(s0, await server.read());
  return { ms, statements, cpuUs: c.user + c.system, serverUs };
}

/** Enqueues `n` tasks in batches of `batch`, then drains them (the workers stop when nothing is left); resets untimed. */
async function round(
  system: QueueSystem,
  clients: ReadonlyArray<{ prototype: object }>,
  server: ServerCpu,
  n: number,
  batch: number,
): Promise<Round> {
  const load = load1();
  const enqueue = await phase(clients, server, async () => {
    for (let i = 0; i < n; i += batch)
      await system.enqueue(Array.from({ length: Math.min(batch, n - i) }, (_, j) => order(i + j)));
  });
  const drain = await phase(clients, server, async () => {
    const { startedAt, endedAt } = await system.process(n);
    return endedAt - startedAt;
  });
  await system.reset();
  return { enqueue, drain, load };
}

/**
 * One point of the grid: stateproof, pg-boss and graphile-worker set up with the same pool, workers
 * and batch, each warmed up, then `rounds` timed rounds in rotating order; every schema dropped at
 * the end. Completions count only when durable on every side (see each system's `process`).
 */
export async function runGridCell(o: GridCellSettings): Promise<GridCell> {
  const settings: QueueSettings = { url: o.url, connections: o.connections, workers: o.workers, batch: o.batch };
  const schemas = { stateproof: `${o.prefix}_q`, pgboss: `${o.prefix}_pgboss`, graphile: `${o.prefix}_gw` };
  const systems: QueueSystem[] = [
    new StateproofQueue(settings, schemas.stateproof),
    new PgBossQueue(settings, schemas.pgboss),
    new GraphileQueue(settings, schemas.graphile),
  ];
  const clients = [pg.Client, (await loadPeers()).pg.Client];
  const label = `w${o.workers} b${o.batch}`;
  const server = new ServerCpu(o.url);
  try {
    for (const s of systems) {
      await s.setup();
      await round(s, clients, server, o.warmup, o.batch);
    }
    const results = new Map<QueueSystem, Round[]>(systems.map((s) => [s, []]));
    for (const [r, sequence] of rotations(systems, o.rounds).entries())
      for (const s of sequence) {
        const x = await round(s, clients, server, o.tasks, o.batch);
        results.get(s)!.push(x);
        o.progress(
          `${label} round ${r + 1}/${o.rounds} ${s.name}: enqueue ${Math.round(perSecond(o.tasks, x.enqueue.ms))}/s, drain ${Math.round(perSecond(o.tasks, x.drain.ms))}/s, total ${Math.round(perSecond(o.tasks, x.enqueue.ms + x.drain.ms))}/s (load ${x.load})`,
        );
      }
    const sides = systems.map((s): GridSide => {
      const rs = results.get(s)!;
      const perTask = (f: (r: Round) => number) => rs.reduce((a, r) => a + f(r), 0) / (rs.length * o.tasks);
      const totals = rs.map((r) => perSecond(o.tasks, r.enqueue.ms + r.drain.ms));
      return {
        name: s.name,
        settings: s.settings,
        enqueue: median(rs.map((r) => perSecond(o.tasks, r.enqueue.ms))),
        drain: median(rs.map((r) => perSecond(o.tasks, r.drain.ms))),
        total: median(totals),
        totals,
        enqueueStatementsPerTask: perTask((r) => r.enqueue.statements),
        drainStatementsPerTask: perTask((r) => r.drain.statements),
        enqueueCpuUsPerTask: perTask((r) => r.enqueue.cpuUs),
        drainCpuUsPerTask: perTask((r) => r.drain.cpuUs),
        enqueueServerUsPerTask: perTask((r) => r.enqueue.serverUs),
        drainServerUsPerTask: perTask((r) => r.drain.serverUs),
      };
    });
    const loads = [...results.values()].flat().map((r) => r.load);
    return { workers: o.workers, batch: o.batch, tasks: o.tasks, sides, loads };
  } finally {
    await server.close().catch(() => undefined);
    for (const s of systems)
      await s.close().catch((e: unknown) => o.progress(`closing ${s.name}: ${(e as Error).message}`));
    await dropPostgresNamespace({ url: o.url, namespace: schemas.stateproof }).catch((e: unknown) =>
      o.progress(`dropping ${schemas.stateproof}: ${(e as Error).message}`),
    );
    for (const schema of [schemas.pgboss, schemas.graphile])
      await dropSchema(o.url, schema).catch((e: unknown) => o.progress(`dropping ${schema}: ${(e as Error).message}`));
  }
}
