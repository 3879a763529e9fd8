import type { BenchRow } from '../benchmark.js';
import type { SoakRun } from './soak-run.js';
import { PG_VACUUM_MS } from './soak-backends.js';
import { SOAK_MAINTENANCE_MS, SOAK_RETENTION_MS } from './soak-surfaces.js';
import type { Chart } from './svg-chart.js';

/** The first retention window: the first finished tasks are due, and a maintenance pass has had time to run. */
export const FIRST_WINDOW_MS = SOAK_RETENTION_MS + 2 * SOAK_MAINTENANCE_MS;

/**
 * What else a backend keeps for a while before its storage is steady. The Redis adapter stores each
 * write script's reply under its operation id for `operationTtlMs` (default 60 s), so that a write
 * retried after a lost reply finds it; those replies fill for that long, then expire as fast as they
 * come. Postgres reuses a deleted row's space only after a vacuum has passed over it: two vacuum
 * periods of dead rows before the tables stop growing.
 */
export const STEADY_AFTER_MS: Readonly<Record<string, number>> = { redis: 60_000, postgres: 2 * PG_VACUUM_MS };

/** Targets, as ratios that must be at least 1 (size, RSS) or 0.9 (throughput). */
export const SIZE_BOUND = 1.2;
export const RSS_BOUND = 1.1;
export const THROUGHPUT_TARGET = 0.9;

/** A tenth's level: the median of the fine samples taken during it (size and RSS move with vacuum and GC cycles), and the RSS peak. */
export interface TenthLevel {
  readonly size: number;
  readonly rss: number;
  readonly rssMax: number;
  /** Samples in the tenth; 0 means the end-of-tenth figures stand in. */
  readonly samples: number;
}

function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 === 1 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** The level of every tenth of `run`. */
export function tenthLevels(run: SoakRun): TenthLevel[] {
  return run.tenths.map((t) => {
    const from = t.elapsedMs - t.ms;
    const s = run.samples.filter((x) => x.elapsedMs > from && x.elapsedMs <= t.elapsedMs);
    if (s.length === 0) return { size: t.size.total, rss: t.rss, rssMax: t.rss, samples: 0 };
    const rss = s.map((x) => x.rss);
    return { size: median(s.map((x) => x.size)), rss: median(rss), rssMax: Math.max(...rss), samples: s.length };
  });
}

/**
 * The tenth the size and RSS targets compare the last one with: the first after warm-up, warm-up
 * being the tenths up to the first that ended after the first retention window (the first tenth
 * also runs slower while the process warms up, so fewer tasks sit in its window), and on Redis
 * after the operation replies' lifetime too ({@link STEADY_AFTER_MS}). Undefined when
 * that is the last tenth (a run too short to say).
 */
export function referenceTenth(run: SoakRun): number | undefined {
  const warm = FIRST_WINDOW_MS + (STEADY_AFTER_MS[run.backend] ?? 0);
  const i = run.tenths.findIndex((x) => x.elapsedMs >= warm);
  return i >= 0 && i + 1 < 9 ? i + 1 : undefined;
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
    const r = referenceTenth(run);
    if (r !== undefined) {
      const levels = tenthLevels(run);
      const ref = levels[r]!;
      const end = levels[9]!;
      const k = `${b} size, ${SIZE_BOUND} × tenth ${r + 1}'s (after warm-up) / last tenth's`;
      ratios[k] = (SIZE_BOUND * ref.size) / end.size;
      targets[k] = 1;
      const kr = `${b} RSS, ${RSS_BOUND} × tenth ${r + 1}'s (after warm-up) / last tenth's`;
      ratios[kr] = (RSS_BOUND * ref.rss) / end.rss;
      targets[kr] = 1;
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
        notes: `size ${mb(t.size.total)} MB, RSS ${mb(t.rss)} MB, heap ${mb(t.heapUsed)} MB, GC ${t.gcCount}/${Math.round(t.gcMs)} ms, pruned ${n0(t.pruned)} in ${t.pruneCalls} calls (${Math.round(t.pruneMs)} ms), reap ${t.reapCalls} calls (${Math.round(t.reapMs)} ms)`,
      });
  }
  return rows;
}

/** The per-tenth table of docs/benchmarks.md (Markdown), for every run. */
export function soakMarkdown(runs: readonly SoakRun[]): string {
  const lines = [
    '| backend | tenth | tasks | tasks/s | size (MB, median) | parts at the end (MB) | RSS (MB, median (max)) | GC (count / ms) | pruned (rows / calls / ms) |',
    '|---|---:|---:|---:|---:|---|---:|---:|---:|',
  ];
  for (const run of runs) {
    const levels = tenthLevels(run);
    for (const t of run.tenths) {
      const level = levels[t.tenth - 1]!;
      const parts = Object.entries(t.size.parts ?? {})
        .map(([k, v]) => `${k} ${k === 'keys' ? n0(v) : mb(v)}`)
        .join(', ');
      lines.push(
        `| ${run.backend} | ${t.tenth} | ${n0(t.tasks)} | ${n0(t.rate)} | ${mb(level.size)} | ${parts} | ${mb(level.rss)} (${mb(level.rssMax)}) | ${t.gcCount} / ${Math.round(t.gcMs)} | ${n0(t.pruned)} / ${t.pruneCalls} / ${n0(t.pruneMs)} |`,
      );
    }
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

/** The compact table of docs/benchmarks.md: one row per tenth, throughput, size and RSS of every backend side by side. */
export function soakCompactMarkdown(runs: readonly SoakRun[]): string {
  const head = runs.map((r) => `${r.backend} tasks/s | ${r.backend} size (MB) | ${r.backend} RSS (MB)`).join(' | ');
  const lines = [`| tenth | ${head} |`, `|---:|${runs.map(() => '---:|---:|---:|').join('')}`];
  const levels = runs.map(tenthLevels);
  for (let i = 0; i < 10; i++) {
    const cells = runs.map((r, j) => {
      const t = r.tenths[i];
      const l = levels[j]![i];
      return t && l ? `${n0(t.rate)} | ${mb(l.size)} | ${mb(l.rss)}` : ' | | ';
    });
    lines.push(`| ${i + 1} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
