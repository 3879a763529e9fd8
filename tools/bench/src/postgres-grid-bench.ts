import { randomBytes } from 'node:crypto';
import type { Benchmark, BenchRow } from './benchmark.js';
import { runGridCell, type GridCell, type GridSide } from './postgres/grid-cell.js';
import { PG_URL, serverFacts, serverUnavailable } from './postgres/server-admin.js';

/** The grid: workers × batch (tasks per enqueue call and per claim). */
const WORKERS = [4, 10, 40] as const;
const BATCHES = [1, 50, 100] as const;
/** Tasks per timed round at scale 1: fewer where every task is a statement of its own. */
const TASKS_BATCHED = 10_000;
const TASKS_SINGLE = 1_000;
const ROUNDS_BATCHED = 5;
const ROUNDS_SINGLE = 3;
const CONNECTIONS = 10;

/** The targets of a cell with batches (none for batch 1): stateproof / the faster peer, per measure. */
const TARGETS = { total: 1.5, drain: 2, enqueue: 1.5 } as const;
type Measure = keyof typeof TARGETS;

/** The faster of the peers for one measure. */
function fasterPeer(cell: GridCell, measure: Measure): GridSide {
  return cell.sides.slice(1).reduce((a, b) => (b[measure] > a[measure] ? b : a));
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const us = (n: number): string => (Number.isNaN(n) ? 'n/a' : n.toFixed(0));

/** One line of the summary table (Markdown), as docs/benchmarks.md shows it. */
function tableLine(cell: GridCell): string {
  const ours = cell.sides[0]!;
  // Same-round ratios of the total against the faster peer (the rounds interleave the systems).
  const peer = fasterPeer(cell, 'total');
  const each = ours.totals.map((t, r) => t / (peer.totals[r] as number));
  const spread = `${Math.min(...each).toFixed(2)}–${Math.max(...each).toFixed(2)}`;
  const part = (m: Measure) => {
    const p = fasterPeer(cell, m);
    const r = ours[m] / p[m];
    const verdict = cell.batch === 1 ? '' : r >= TARGETS[m] ? ' met' : ' MISSED';
    return `${fmt(ours[m])}/s, ${r.toFixed(2)}× ${p.name}${verdict}`;
  };
  const per = cell.sides
    .map(
      (s) =>
        `${s.drainStatementsPerTask.toFixed(3)}/${us(s.drainCpuUsPerTask)}/${us(s.drainServerUsPerTask)} µs, ${s.enqueueStatementsPerTask.toFixed(3)}/${us(s.enqueueCpuUsPerTask)}/${us(s.enqueueServerUsPerTask)} µs`,
    )
    .join(' · ');
  return `| ${cell.workers} × ${cell.batch} | ${part('total')} (rounds ${spread}) | ${part('drain')} | ${part('enqueue')} | ${per} |`;
}

/**
 * The Postgres queue against pg-boss and graphile-worker over a grid of workers (4, 10, 40) ×
 * batch (1, 50, 100: tasks per enqueue call and per claim). Each cell is its own comparison: the
 * three systems set up with the same pool, warmed up, then timed in interleaved rounds in rotating
 * order; per measure (total, drain, enqueue) stateproof's median against the faster peer's.
 * Statements, client CPU and the server CPU of each side's own backends per task are reported per side, so that a miss can be explained.
 */
export const postgresGridBenchmark: Benchmark = {
  name: 'postgres-grid',
  description:
    'Postgres queue against pg-boss and graphile-worker over a grid (workers 4, 10, 40 × batches 1, 50, 100): total, drain and enqueue against the faster peer',
  async run({ scale, progress }) {
    const unavailable = await serverUnavailable(PG_URL);
    if (unavailable) return { name: 'Postgres queue grid', rows: [], ratios: {}, skipped: unavailable };
    const facts = await serverFacts(PG_URL);
    progress(facts);
    const id = `${process.pid}_${randomBytes(3).toString('hex')}`;
    const rows: BenchRow[] = [];
    const ratios: Record<string, number> = {};
    const targets: Record<string, number> = {};
    const table: string[] = [];
    const cells = WORKERS.flatMap((workers) => BATCHES.map((batch) => ({ workers, batch })));
    for (const [i, { workers, batch }] of cells.entries()) {
      const single = batch === 1;
      const tasks = Math.max(100, Math.round((single ? TASKS_SINGLE : TASKS_BATCHED) * scale));
      progress(`cell ${i + 1}/${cells.length}: ${workers} workers, batches of ${batch}, ${tasks} tasks per round`);
      const cell = await runGridCell({
        url: PG_URL,
        workers,
        batch,
        tasks,
        rounds: single ? ROUNDS_SINGLE : ROUNDS_BATCHED,
        warmup: Math.min(tasks, single ? 200 : 2_000),
        connections: CONNECTIONS,
        prefix: `spgrid_${id}_${workers}_${batch}`,
        progress,
      });
      const label = `w${workers} b${batch}`;
      for (const s of cell.sides) {
        const per = `statements/task drain ${s.drainStatementsPerTask.toFixed(3)}, enqueue ${s.enqueueStatementsPerTask.toFixed(3)}; client CPU/task drain ${us(s.drainCpuUsPerTask)} µs, enqueue ${us(s.enqueueCpuUsPerTask)} µs; server CPU/task drain ${us(s.drainServerUsPerTask)} µs, enqueue ${us(s.enqueueServerUsPerTask)} µs`;
        rows.push({
          label: `${label} ${s.name} total`,
          operations: tasks,
          ms: (tasks / s.total) * 1000,
          opsPerSec: s.total,
          notes: `drain ${fmt(s.drain)}/s, enqueue ${fmt(s.enqueue)}/s; ${per}`,
        });
      }
      for (const m of ['total', 'drain', 'enqueue'] as const) {
        const key = `${label}: stateproof/faster peer ${m}`;
        ratios[key] = cell.sides[0]![m] / fasterPeer(cell, m)[m];
        if (!single) targets[key] = TARGETS[m];
      }
      const line = tableLine(cell);
      table.push(line);
      progress(`${line} (load ${Math.min(...cell.loads)}–${Math.max(...cell.loads)})`);
    }
    progress(
      '| workers × batch | total (stateproof, / faster peer) | drain | enqueue | statements / client CPU / server CPU per task, drain, enqueue: stateproof · pg-boss · graphile-worker |',
    );
    for (const line of table) progress(line);
    rows[0] = { ...rows[0]!, notes: `${rows[0]!.notes ?? ''}; ${facts}; pool of ${CONNECTIONS} per system` };
    return { name: 'Postgres queue grid', rows, ratios, targets };
  },
};
