import type { BenchRow } from '../benchmark.js';
import type { TenthFigures } from './soak-load.js';
import type { SoakRun } from './soak-run.js';
import { SOAK_MAINTENANCE_MS, SOAK_RETENTION_MS } from './soak-surfaces.js';
import type { Chart } from './svg-chart.js';

/** The first retention window: the first finished tasks are due, and a maintenance pass has had time to run. */
export const FIRST_WINDOW_MS = SOAK_RETENTION_MS + 2 * SOAK_MAINTENANCE_MS;

/** Targets, as ratios that must be at least 1 (size, RSS) or 0.9 (throughput). */
export const SIZE_BOUND = 1.2;
export const RSS_BOUND = 1.1;
export const THROUGHPUT_TARGET = 0.9;

/** The references one backend's targets compare the last tenth with. */
export interface SoakReferences {
  /** The first tenth that ended after the first retention window (its size is the size reference), if not the last. */
  readonly sizeTenth?: TenthFigures;
  /** The tenth after warm-up (warm-up: the tenths up to the size reference), if not the last. */
  readonly rssTenth?: TenthFigures;
}

export function references(run: SoakRun): SoakReferences {
  const t = run.tenths;
  const i = t.findIndex((x) => x.elapsedMs >= FIRST_WINDOW_MS);
  return {
    ...(i >= 0 && i < 9 ? { sizeTenth: t[i]! } : {}),
    ...(i >= 0 && i + 1 < 9 ? { rssTenth: t[i + 1]! } : {}),
  };
}

const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);
const n0 = (v: number) => Math.round(v).toLocaleString('en-US');

/** The ratios and targets of every run, in the harness's shape (a ratio meets its target when at least it). */
export function soakRatios(runs: readonly SoakRun[]): {
  ratios: Record<string, number>;
  targets: Record<string, number>;
} {
  const ratios: Record<string, number> = {};
  const targets: Record<string, number> = {};
  for (const run of runs) {
    const first = run.tenths[0];
    const last = run.tenths[9];
    if (!first || !last) continue;
    const b = run.backend;
    const key = `${b} throughput, last tenth / first`;
    ratios[key] = last.rate / first.rate;
    targets[key] = THROUGHPUT_TARGET;
    const ref = references(run);
    if (ref.sizeTenth) {
      const k = `${b} size, ${SIZE_BOUND} × size after the first retention window (tenth ${ref.sizeTenth.tenth}) / last tenth's`;
      ratios[k] = (SIZE_BOUND * ref.sizeTenth.size.total) / last.size.total;
      targets[k] = 1;
    }
    if (ref.rssTenth) {
      const k = `${b} RSS, ${RSS_BOUND} × RSS after warm-up (tenth ${ref.rssTenth.tenth}) / last tenth's`;
      ratios[k] = (RSS_BOUND * ref.rssTenth.rss) / last.rss;
      targets[k] = 1;
    }
  }
  return { ratios, targets };
}

/** One row per backend (the whole run) and one per tenth. */
export function soakRows(runs: readonly SoakRun[], scale: number): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const run of runs) {
    rows.push({
      label: `${run.backend}, whole run`,
      operations: run.tasks,
      ms: run.ms,
      opsPerSec: run.tasks / (run.ms / 1000),
      notes: `scale ${scale}: ${n0(run.tasks)} tasks, ${n0(run.records)} record puts, ${n0(run.appends)} log appends; pruned ${n0(run.pruned)} (prune ${run.pruneWorks ? 'real' : 'a PLACEHOLDER: pruned nothing in the probe'}); complete() failures ${run.completeErrors}`,
    });
    for (const t of run.tenths)
      rows.push({
        label: `${run.backend} tenth ${t.tenth}`,
        operations: t.tasks - (run.tenths[t.tenth - 2]?.tasks ?? 0),
        ms: t.ms,
        opsPerSec: t.rate,
        notes: `size ${mb(t.size.total)} MB, RSS ${mb(t.rss)} MB, heap ${mb(t.heapUsed)} MB, GC ${t.gcCount}/${Math.round(t.gcMs)} ms, pruned ${n0(t.pruned)}`,
      });
  }
  return rows;
}

/** The per-tenth table of docs/benchmarks.md (Markdown), for every run. */
export function soakMarkdown(runs: readonly SoakRun[]): string {
  const lines = [
    '| backend | tenth | tasks | tasks/s | size (MB) | parts (MB) | RSS (MB) | GC (count / ms) | pruned |',
    '|---|---:|---:|---:|---:|---|---:|---:|---:|',
  ];
  for (const run of runs)
    for (const t of run.tenths) {
      const parts = Object.entries(t.size.parts ?? {})
        .map(([k, v]) => `${k} ${k === 'keys' ? n0(v) : mb(v)}`)
        .join(', ');
      lines.push(
        `| ${run.backend} | ${t.tenth} | ${n0(t.tasks)} | ${n0(t.rate)} | ${mb(t.size.total)} | ${parts} | ${mb(t.rss)} | ${t.gcCount} / ${Math.round(t.gcMs)} | ${n0(t.pruned)} |`,
      );
    }
  return lines.join('\n');
}

/** At most `max` points: consecutive points averaged in equal groups. */
export function downsample(points: ReadonlyArray<readonly [number, number]>, max = 250): Array<[number, number]> {
  if (points.length <= max) return points.map(([x, y]) => [x, y]);
  const group = Math.ceil(points.length / max);
  const out: Array<[number, number]> = [];
  for (let i = 0; i < points.length; i += group) {
    const g = points.slice(i, i + group);
    out.push([g.reduce((a, p) => a + p[0], 0) / g.length, g.reduce((a, p) => a + p[1], 0) / g.length]);
  }
  return out;
}

/** The three panels over tasks completed: throughput (over 5 s of samples), storage size, RSS. */
export function soakChart(runs: readonly SoakRun[], title: string): Chart {
  const rate = (run: SoakRun): Array<[number, number]> => {
    const s = run.samples;
    const out: Array<[number, number]> = [];
    for (let i = 1; i < s.length; i++) {
      const a = s[Math.max(0, i - 5)]!;
      const b = s[i]!;
      out.push([b.tasks / 1000, (b.tasks - a.tasks) / ((b.elapsedMs - a.elapsedMs) / 1000)]);
    }
    return out;
  };
  const series = (pick: (run: SoakRun) => Array<[number, number]>) =>
    runs.map((run) => ({ name: run.backend, points: downsample(pick(run)) }));
  return {
    title,
    xLabel: 'tasks completed (thousands)',
    panels: [
      { title: 'Throughput', yLabel: 'tasks/s', series: series(rate) },
      {
        title: 'Storage size (tables + indexes; SQLite file + WAL; Redis used_memory)',
        yLabel: 'MB',
        series: series((run) => run.samples.map((s) => [s.tasks / 1000, s.size / 1_048_576])),
      },
      {
        title: 'Process RSS',
        yLabel: 'MB',
        series: series((run) => run.samples.map((s) => [s.tasks / 1000, s.rss / 1_048_576])),
      },
    ],
  };
}
