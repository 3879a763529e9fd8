import { runConformance } from '../suite/run-conformance.js';
import type { Mutant } from './mutant.js';
import { ALL_MUTANTS } from './all-mutants.js';

/** Whether the suite caught one mutant, and with which requirements. */
export interface MutantResult {
  readonly mutant: Mutant;
  readonly caught: boolean;
  /** Requirement ids that failed. */
  readonly failed: string[];
  /** The first failure's reason. */
  readonly reason?: string;
  readonly durationMs: number;
}

/** Runs the suite against each mutant (its kind only); a mutant is caught when the verdict is fail. */
export async function runMutants(options: { runs?: number; seed?: number; mutants?: readonly Mutant[]; onResult?: (r: MutantResult, index: number, total: number) => void } = {}): Promise<MutantResult[]> {
  const mutants = options.mutants ?? ALL_MUTANTS;
  const results: MutantResult[] = [];
  for (const [i, mutant] of mutants.entries()) {
    const t0 = performance.now();
    const report = await runConformance({ target: mutant.target(), kinds: [mutant.kind], runs: options.runs ?? 30, ...(options.seed === undefined ? {} : { seed: options.seed }), runTimeoutMs: 10_000 });
    const failed = report.requirements.filter((r) => r.status === 'fail');
    const result: MutantResult = {
      mutant,
      caught: report.verdict === 'fail',
      failed: failed.map((r) => r.id),
      ...(failed[0]?.reason === undefined ? {} : { reason: failed[0].reason }),
      durationMs: performance.now() - t0,
    };
    results.push(result);
    options.onResult?.(result, i, mutants.length);
  }
  return results;
}
