/** One measured row of a benchmark: what ran, how much of it, how fast. */
export interface BenchRow {
  /** What was measured, e.g. `stateproof queue` or `pg-boss`. */
  readonly label: string;
  /** Operations (or items) done. */
  readonly operations: number;
  /** Wall time in ms. */
  readonly ms: number;
  /** operations / seconds. */
  readonly opsPerSec: number;
  /** Anything else worth printing (settings, sizes). */
  readonly notes?: string;
}

/** What a benchmark reports: its rows, the ratios it exists to measure, and whether each meets its target. */
export interface BenchResult {
  readonly name: string;
  readonly rows: readonly BenchRow[];
  /** Named ratios, e.g. `stateproof/raw pg put`: 0.93. */
  readonly ratios: Readonly<Record<string, number>>;
  /** Targets per ratio: the ratio must be at least this. */
  readonly targets?: Readonly<Record<string, number>>;
  /** Set when the benchmark could not run (a service missing); then rows are empty. */
  readonly skipped?: string;
}

/** Options every benchmark receives. */
export interface BenchOptions {
  /** Scale factor of the workload (1 = the documented default). */
  readonly scale: number;
  /** Progress lines (stderr). */
  readonly progress: (line: string) => void;
}

/** One benchmark under tools/bench. */
export interface Benchmark {
  /** Stable name, used on the command line (`npm run bench -- <name>`). */
  readonly name: string;
  readonly description: string;
  run(options: BenchOptions): Promise<BenchResult>;
}

/** Times `fn` and returns a row. */
export async function measure(
  label: string,
  operations: number,
  fn: () => Promise<void>,
  notes?: string,
): Promise<BenchRow> {
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  return { label, operations, ms, opsPerSec: operations / (ms / 1000), ...(notes === undefined ? {} : { notes }) };
}
