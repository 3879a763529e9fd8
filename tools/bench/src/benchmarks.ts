import type { Benchmark } from './benchmark.js';
import { linearizabilityBenchmark } from './linearizability-bench.js';

/**
 * Every benchmark, in the order `npm run bench` runs them. Add one line per benchmark module.
 */
export const BENCHMARKS: readonly Benchmark[] = [linearizabilityBenchmark];
