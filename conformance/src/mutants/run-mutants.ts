import { runCrash } from '../crash/run-crash.js';
import { ALL_PROPERTIES } from '../properties/all-properties.js';
import { runConformance } from '../suite/run-conformance.js';
import type { Mutant } from './mutant.js';

/** Whether the suite caught one mutant, and with which requirements or crash checks. */
export interface MutantResult {
  /** The mutant. */
  readonly mutant: Mutant;
  /** Whether any verdict was fail. */
  readonly caught: boolean;
  /** Requirement ids that failed, and crash scenarios that failed (`crash:<scenario>`). */
  readonly failed: string[];
  /** The first failure's reason. */
  readonly reason?: string;
  /** Time spent, in ms. */
  readonly durationMs: number;
}

/**
 * Runs the suite against each mutant (its kind only, stopping at the first failure, since one failure
 * is the verdict), and the crash harness for mutants that ask for it; a mutant is caught when any
 * verdict is fail.
 */
export async function runMutants(options: {
  mutants: readonly Mutant[];
  runs?: number;
  seed?: number;
  onResult?: (r: MutantResult, index: number, total: number) => void;
}): Promise<MutantResult[]> {
  const mutants = options.mutants;
  const results: MutantResult[] = [];
  for (const [i, mutant] of mutants.entries()) {
    const t0 = performance.now();
    const failed: string[] = [];
    let reason: string | undefined;
    if (mutant.suite !== false) {
      const target = mutant.target();
      const report = await runConformance({
        target,
        kinds: [mutant.kind],
        ...(mutant.properties ? { properties: propertiesNamed(mutant) } : {}),
        runs: options.runs ?? 30,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        runTimeoutMs: 10_000,
        failFast: true,
        shrinkTimeMs: 3_000,
        // A server the target started for itself (a mutant on a durable server of its own) goes with it.
      }).finally(() => target.server?.stop?.());
      const bad = report.requirements.filter((r) => r.status === 'fail');
      failed.push(...bad.map((r) => r.id));
      reason = bad[0]?.reason;
    }
    if (mutant.crash) {
      const crashOf = mutant.crash;
      // One harness run per class asked for (a class-less mutant: one run, the harness's choice).
      for (const cls of crashOf.classes ?? [undefined]) {
        const target = mutant.target();
        let crash;
        try {
          crash = await runCrash({
            target,
            kinds: crashOf.kinds,
            kills: crashOf.kills ?? 3,
            killBackend: crashOf.killBackend ?? false,
            ...(cls === undefined ? {} : { cls }),
            ...(options.seed === undefined ? {} : { seed: options.seed }),
          });
        } finally {
          await target.server?.stop?.();
        }
        const bad = crash.results.filter((r) => r.status === 'fail');
        failed.push(...bad.map((r) => `crash:${r.scenario}`));
        reason ??= bad[0]?.violations[0];
      }
    }
    const result: MutantResult = {
      mutant,
      caught: failed.length > 0,
      failed,
      ...(reason === undefined ? {} : { reason }),
      durationMs: performance.now() - t0,
    };
    results.push(result);
    options.onResult?.(result, i, mutants.length);
  }
  return results;
}

/** The properties a mutant names, each of which must exist (a typo would leave the mutant unchecked). */
function propertiesNamed(mutant: Mutant) {
  const names = mutant.properties ?? [];
  const unknown = names.filter((n) => !ALL_PROPERTIES.some((p) => p.name === n));
  if (unknown.length > 0 || names.length === 0)
    throw new Error(`mutant ${mutant.name} names no property or an unknown one: ${unknown.join(', ') || '(none)'}`);
  return ALL_PROPERTIES.filter((p) => names.includes(p.name));
}
