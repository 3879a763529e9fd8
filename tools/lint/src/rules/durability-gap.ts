import { CLASSES, durabilityGap, type DurabilityClass, type GuaranteeLoss } from '@stateproof/spec';
import { currentClassOf, type ProbedBackends } from './current-class.js';
import { diagnostic, type LintDiagnostic } from '../diagnostics/lint-diagnostic.js';
import type { InventorySurface } from './inventory-surface.js';

/** One row of the gap table: a surface whose current class is weaker than its declared one. */
export interface DurabilityGapRow {
  /** The surface. */
  readonly surfaceId: string;
  /** The class it declares. */
  readonly declared: DurabilityClass;
  /** The class it has today. */
  readonly current: DurabilityClass;
  /** The backend the inventory names, when it does. */
  readonly backend?: string;
  /** What the inventory says happens on a restart today, when it does. */
  readonly restart?: string;
  /** What is lost, in words (one line). */
  readonly lost: string;
  /** The guarantees lost, each with its fault, from the taxonomy's guarantee vectors. */
  readonly losses: GuaranteeLoss[];
  /** The inventory file. */
  readonly file?: string;
  /** The surface's line in it. */
  readonly line?: number;
}

/** The losses in words: the same thing lost on several faults is said once ("acknowledged writes, on A or B"). */
export function lossWords(
  losses: readonly GuaranteeLoss[],
  declared: DurabilityClass,
  current: DurabilityClass,
): string {
  if (losses.length === 0) return `${current} state cannot host a ${declared} surface`;
  const byLost = new Map<string, string[]>();
  for (const l of losses) byLost.set(l.lost, [...(byLost.get(l.lost) ?? []), l.fault]);
  return [...byLost].map(([lost, faults]) => `${lost}, on ${faults.join(' or ')}`).join('; ');
}

/**
 * durability-gap: each inventory surface whose current class (its `current` section: `durability`,
 * or the class its backend implies) is weaker than the class it declares. The gap in words comes
 * from the two classes' guarantee vectors (spec durabilityGap); a surface whose current class is
 * unknown (a server URL without durability) has no gap to report.
 */
export function durabilityGaps(
  surfaces: readonly InventorySurface[],
  probed?: ProbedBackends,
): {
  /** One durability-gap diagnostic per gap. */
  diagnostics: LintDiagnostic[];
  /** The gap table. */
  gaps: DurabilityGapRow[];
} {
  const diagnostics: LintDiagnostic[] = [];
  const gaps: DurabilityGapRow[] = [];
  for (const s of surfaces) {
    const current = currentClassOf(s, probed);
    if (current === undefined) continue;
    const declared = s.entry.class;
    if (declared === current) continue;
    const losses = durabilityGap(declared, current);
    if (CLASSES[declared].hostedBy.includes(current)) continue;
    const lost = lossWords(losses, declared, current);
    const backend = s.current?.backend;
    const restart = s.current?.restart;
    const at = s.at('/current');
    gaps.push({
      surfaceId: s.entry.id,
      declared,
      current,
      ...(backend === undefined ? {} : { backend }),
      ...(restart === undefined ? {} : { restart }),
      lost,
      losses,
      ...(at.file === undefined ? {} : { file: at.file }),
      ...(at.line === undefined ? {} : { line: at.line }),
    });
    diagnostics.push(
      diagnostic(
        'durability-gap',
        `${declared} ${s.entry.kind} "${s.entry.id}" is ${current} today${backend === undefined ? '' : ` (backend ${backend})`}: it loses ${lost}`,
        at,
        {
          surfaceId: s.entry.id,
          fix: `Move "${s.entry.id}" to a backend certified for ${declared} (stateproof certify) and update current, or declare the class it needs.`,
        },
      ),
    );
  }
  return { diagnostics, gaps };
}
