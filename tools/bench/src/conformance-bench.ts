import { memoryTarget } from '@stateproof/adapter-memory/conformance';
import { runConformance } from '@stateproof/conformance';
import type { Benchmark, BenchRow } from './benchmark.js';

/**
 * Wall time of the whole conformance suite against the memory adapter: the default run (runs 30,
 * which the issue wants under a minute) and a run ten times deeper, to show how `--runs` scales.
 */
export const conformanceBenchmark: Benchmark = {
  name: 'conformance',
  description: 'the whole conformance suite against the memory adapter at runs 30 and runs 300',
  async run({ scale, progress }) {
    const rows: BenchRow[] = [];
    const timings: Record<number, number> = {};
    for (const runs of [30, 300].map((r) => Math.round(r * scale))) {
      const t0 = performance.now();
      const report = await runConformance({ target: memoryTarget(), runs, seed: 1 });
      const ms = performance.now() - t0;
      timings[runs] = ms;
      const properties = report.outcomes.filter((o) => o.status !== 'skip');
      const cases = properties.reduce((sum, o) => sum + o.runs, 0);
      progress(
        `runs ${runs}: ${report.verdict} in ${(ms / 1000).toFixed(1)} s, ${properties.length} properties, ${cases} cases`,
      );
      rows.push({
        label: `memory, runs ${runs} (${report.verdict})`,
        operations: cases,
        ms,
        opsPerSec: cases / (ms / 1000),
        notes: `${properties.length} properties, ${report.requirements.filter((r) => r.status === 'pass').length} requirements passed`,
      });
    }
    const [small, large] = Object.values(timings) as [number, number];
    return {
      name: 'Conformance suite wall time',
      rows,
      ratios: { 'one minute / default run': 60_000 / small, 'runs 300 time / runs 30 time': large / small },
      targets: { 'one minute / default run': 1 },
    };
  },
};
