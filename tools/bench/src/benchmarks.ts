import type { Benchmark } from './benchmark.js';
import { conformanceBenchmark } from './conformance-bench.js';
import { linearizabilityBenchmark } from './linearizability-bench.js';
import { postgresBenchmark } from './postgres-bench.js';
import { postgresGridBenchmark } from './postgres-grid-bench.js';
import { postgresClaimLimitsBenchmark } from './postgres-claim-limits-bench.js';
import { redisBenchmark } from './redis-bench.js';
import { redisGridBenchmark } from './redis-grid-bench.js';
import { lintBenchmark } from './lint-bench.js';
import { sqliteBenchmark } from './sqlite-bench.js';
import { soakBenchmark } from './soak-bench.js';

/**
 * Every benchmark, in the order `npm run bench` runs them. Add one line per benchmark module.
 */
export const BENCHMARKS: readonly Benchmark[] = [
  linearizabilityBenchmark,
  lintBenchmark,
  conformanceBenchmark,
  sqliteBenchmark,
  postgresBenchmark,
  postgresGridBenchmark,
  postgresClaimLimitsBenchmark,
  redisBenchmark,
  redisGridBenchmark,
  soakBenchmark,
];
