import { isClassOwnedSkip } from './applicability.js';
import type { SurfaceKind } from '@stateproof/spec';
import { contractRequirements } from '../requirements/contract-requirements.js';
import type { RequirementId } from '../requirements/requirement-ids.js';
import type { PropertyOutcome } from './run-property.js';

/** The verdict on one requirement id, from the outcomes of the properties that cover it. */
export interface RequirementVerdict {
  /** The requirement id. */
  readonly id: RequirementId;
  /** The kind it is about. */
  readonly kind: SurfaceKind;
  /** fail when a property that checks it failed; skip when none ran. */
  readonly status: 'pass' | 'fail' | 'skip';
  /** Properties (with class) that checked it. */
  readonly properties: string[];
  /** Why it was skipped, or what failed. */
  readonly reason?: string;
  /** The minimal failing command sequence. */
  readonly counterexample?: string;
  /** How to replay the failure. */
  readonly replay?: {
    /** The fast-check seed. */
    seed: number;
    /** fast-check's path to the shrunk counterexample. */
    path?: string;
    /** The path of the shrunk command sequence, for model properties. */
    replayPath?: string;
    /** A CLI command that replays the failure. */
    command?: string;
  };
  /** Time spent by its properties, in ms. */
  readonly durationMs: number;
}

/**
 * Aggregates property outcomes per requirement: failed when any covering property failed, passed
 * when at least one passed and none failed, skipped (with the reasons) when none ran.
 */
export function requirementVerdicts(
  outcomes: readonly PropertyOutcome[],
  options: {
    kinds: readonly SurfaceKind[];
    unsupported: ReadonlySet<SurfaceKind>;
    replayCommand: (o: PropertyOutcome) => string;
  },
): RequirementVerdict[] {
  return contractRequirements()
    .filter((r) => r.kinds.some((k) => options.kinds.includes(k)))
    .map((r): RequirementVerdict => {
      // A class's requirement (PRJ-, TEL-) applies to every kind of its class the run selected.
      const selected = r.kinds.filter((k) => options.kinds.includes(k));
      if (selected.every((k) => options.unsupported.has(k)))
        return {
          id: r.id,
          kind: r.kind,
          status: 'skip',
          properties: [],
          reason: `the adapter does not support ${selected.join(' or ')}`,
          durationMs: 0,
        };
      const covering = outcomes.filter(
        (o) => o.requirements.includes(r.id) || (o.failedRequirements ?? []).includes(r.id),
      );
      const label = (o: PropertyOutcome) => `${o.name} [${o.cls}${o.clock === 'injected' ? ', injected clock' : ''}]`;
      const durationMs = covering.reduce((sum, o) => sum + o.durationMs, 0);
      const failed = covering.find(
        (o) => o.status === 'fail' && (o.failedRequirements ?? o.requirements).includes(r.id),
      );
      if (failed) {
        return {
          id: r.id,
          kind: r.kind,
          status: 'fail',
          properties: covering.filter((o) => o.status !== 'skip').map(label),
          reason: `${label(failed)}: ${failed.reason ?? 'failed'}`,
          ...(failed.counterexample === undefined ? {} : { counterexample: failed.counterexample }),
          ...(failed.replay ? { replay: { ...failed.replay, command: options.replayCommand(failed) } } : {}),
          durationMs,
        };
      }
      const passed = covering.filter((o) => o.status === 'pass');
      if (passed.length > 0)
        return { id: r.id, kind: r.kind, status: 'pass', properties: passed.map(label), durationMs };
      const stopped = covering.find((o) => o.status === 'fail');
      if (stopped) {
        return {
          id: r.id,
          kind: r.kind,
          status: 'skip',
          properties: [],
          reason: `not checked to the end: ${label(stopped)} stopped at a failure of ${(stopped.failedRequirements ?? []).join(', ')}`,
          durationMs,
        };
      }
      const all = [...new Set(covering.map((o) => o.reason ?? 'skipped'))];
      // Only when nothing else explains the skip is it worth saying a class has properties of its own.
      const others = all.filter((r) => !isClassOwnedSkip(r));
      const reasons = others.length > 0 ? others : all;
      return {
        id: r.id,
        kind: r.kind,
        status: 'skip',
        properties: [],
        reason:
          reasons.length > 0
            ? reasons.join('; ')
            : // Every id has a property in the suite (a test holds it), so only the selection left it out.
              'not checked: no property this run selected covers it (--class, --kinds or --property left them out)',
        durationMs,
      };
    });
}
