import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Benchmark } from './benchmark.js';
import { SOAK_BACKENDS } from './soak/soak-backends.js';
import type { SoakMessage } from './soak/soak-child.js';
import { LOAD } from './soak/soak-load.js';
import {
  FIRST_WINDOW_MS,
  STEADY_AFTER_MS,
  soakChart,
  soakCompactMarkdown,
  soakMarkdown,
  soakRatios,
  soakRows,
} from './soak/soak-report.js';
import type { SoakRun } from './soak/soak-run.js';
import { SOAK_MAINTENANCE_MS, SOAK_RETENTION_MS } from './soak/soak-surfaces.js';
import { chartSvg } from './soak/svg-chart.js';

/** Tasks per backend at scale 1. */
const TASKS = 1_000_000;

/** Where the chart goes: $STATEPROOF_SOAK_SVG, else docs/soak.svg of this checkout. */
export function soakSvgPath(): string {
  const env = process.env['STATEPROOF_SOAK_SVG'];
  if (env) return resolve(env);
  return join(import.meta.dirname, '..', '..', '..', 'docs', 'soak.svg');
}

/** Runs one backend's soak in a child process of its own (so its RSS is that backend's alone). */
function runChild(
  backend: string,
  total: number,
  progress: (line: string) => void,
): Promise<SoakRun | { skipped: string }> {
  return new Promise((done, fail) => {
    const child = fork(join(import.meta.dirname, 'soak', 'soak-child.js'), [backend, String(total)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let outcome: SoakRun | { skipped: string } | undefined;
    let error: string | undefined;
    child.on('message', (m: SoakMessage) => {
      if (m.type === 'progress') progress(m.line);
      else if (m.type === 'result') outcome = m.run;
      else if (m.type === 'skipped') outcome = { skipped: m.reason };
      else error = m.message;
    });
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      if (outcome) done(outcome);
      else fail(new Error(`soak: the ${backend} child failed (${error ?? `exit ${code ?? signal}`})`));
    });
  });
}

/**
 * A soak: a steady enqueue-and-drain load through the public runtime on Postgres, SQLite (a file,
 * WAL, synchronous full) and Redis (a durable server of its own), with a record put and a log append
 * per 50 tasks, the queue's retention and the log's age limit at 5 s, and the maintenance loop every
 * second, as in production. Per tenth of the run: throughput, storage size and the process's RSS;
 * the targets say whether throughput holds, the tables stay bounded by the retention and memory does
 * not grow. Writes a chart (docs/soak.svg, or $STATEPROOF_SOAK_SVG).
 */
export const soakBenchmark: Benchmark = {
  name: 'soak',
  description: `Soak: ${TASKS.toLocaleString('en-US')} tasks per backend (× --scale) with retention on; throughput, table size and RSS per tenth (chart: docs/soak.svg or $STATEPROOF_SOAK_SVG)`,
  async run({ scale, progress }) {
    const total = Math.max(10_000, Math.round(TASKS * scale));
    progress(
      `scale ${scale}: ${total.toLocaleString('en-US')} tasks per backend; enqueueMany of ${LOAD.enqueueBatch} while the backlog is under ${LOAD.backlog}, ` +
        `${LOAD.workers} workers claim({ limit: ${LOAD.claimLimit} }) + complete, a record put and a log append per ${LOAD.sideEvery} tasks; ` +
        `retention ${SOAK_RETENTION_MS} ms (queue finishedMs, log maxAgeMs), maintenance every ${SOAK_MAINTENANCE_MS} ms; ` +
        `warm-up: the tenths up to the first ending ${FIRST_WINDOW_MS} ms or more after the start (on Redis ${FIRST_WINDOW_MS + (STEADY_AFTER_MS['redis'] ?? 0)} ms: its operation replies live 60 s; on Postgres ${FIRST_WINDOW_MS + (STEADY_AFTER_MS['postgres'] ?? 0)} ms: two vacuum periods); size and RSS of a tenth: the median of its 1 s samples`,
    );
    const runs: SoakRun[] = [];
    const skipped: string[] = [];
    // $STATEPROOF_SOAK_BACKENDS (comma-separated) runs a subset, e.g. `redis` alone.
    const only = process.env['STATEPROOF_SOAK_BACKENDS']?.split(',').map((b) => b.trim());
    for (const backend of SOAK_BACKENDS.filter((b) => !only || only.includes(b))) {
      const r = await runChild(backend, total, progress);
      if ('skipped' in r) {
        skipped.push(`${backend}: ${r.skipped}`);
        progress(`${backend} SKIPPED: ${r.skipped}`);
      } else runs.push(r);
    }
    if (runs.length === 0) return { name: 'soak', rows: [], ratios: {}, skipped: skipped.join('; ') };
    const svg = chartSvg(
      soakChart(
        runs,
        `Soak, ${total.toLocaleString('en-US')} tasks per backend (retention ${SOAK_RETENTION_MS / 1000} s, maintenance every ${SOAK_MAINTENANCE_MS / 1000} s)`,
      ),
    );
    const path = soakSvgPath();
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, svg);
    progress(`chart written to ${path}`);
    for (const run of runs) progress(`${run.backend}: ${run.facts}; size: ${run.sizeMeaning}`);
    for (const s of skipped) progress(`skipped ${s}`);
    progress(`per tenth (Markdown):\n${soakMarkdown(runs)}\n\n${soakCompactMarkdown(runs)}`);
    const { ratios, targets } = soakRatios(runs);
    const name = skipped.length > 0 ? `soak (skipped ${skipped.join('; ')})` : 'soak';
    return { name, rows: soakRows(runs, scale), ratios, targets };
  },
};
