import fc from 'fast-check';
import { ModelMismatch } from '../models/model-mismatch.js';
import { UnexpectedOperationError } from '../environment/unexpected-operation-error.js';
import type { PropertyEnv, PropertySpec } from '../environment/property-spec.js';
import type { RequirementId } from '../requirements/requirement-ids.js';

/** The outcome of one property. */
export interface PropertyOutcome {
  /** The property's name. */
  readonly name: string;
  /** The kind it checks. */
  readonly kind: PropertySpec['kind'];
  /** The requirement ids it checks. */
  readonly requirements: readonly RequirementId[];
  /** The class it ran for. */
  readonly cls: PropertyEnv['cls'];
  /** `injected` when a server-clock adapter ran this property on the suite's manual clock. */
  readonly clock?: 'injected';
  /** Its verdict; skip when it does not apply. */
  readonly status: 'pass' | 'fail' | 'skip';
  /** Why it was skipped, or the failure message. */
  readonly reason?: string;
  /** The shrunk counterexample, printed. */
  readonly counterexample?: string;
  /**
   * On failure: the requirement ids the counterexample violates: those a model mismatch names, those
   * of the store operation whose unexpected error escaped the property, or else all of the property's.
   */
  readonly failedRequirements?: readonly RequirementId[];
  /** Replays the failure exactly. */
  readonly replay?: {
    /** The fast-check seed. */
    readonly seed: number;
    /** fast-check's path to the shrunk counterexample. */
    readonly path: string;
    /** The path of the shrunk command sequence, for model properties. */
    readonly replayPath?: string;
  };
  /** fast-check runs made. */
  readonly runs: number;
  /** Time spent, in ms. */
  readonly durationMs: number;
}

/** Options of {@link runProperty}. */
export interface RunPropertyOptions {
  /** The fast-check seed. */
  readonly seed: number;
  /** fast-check runs. */
  readonly runs: number;
  /** Replay a recorded failure: run only the case at this path. */
  readonly path?: string;
  /** Longest a single run may take before it counts as a failure (a hang is a bug). */
  readonly runTimeoutMs?: number;
  /**
   * How long shrinking a failure may take (default 10 s). A failure that shows only as a missing
   * event costs a read timeout per shrink step; past the budget the smallest counterexample found so
   * far is reported, still replayable.
   */
  readonly shrinkTimeMs?: number;
}

const REPLAY_PATH = /\/\*replayPath="([^"]*)"\*\//;

/** Runs one property with fast-check and reports pass or fail with the shrunk counterexample and its replay data. */
export async function runProperty(
  spec: PropertySpec,
  env: PropertyEnv,
  options: RunPropertyOptions,
): Promise<PropertyOutcome> {
  const started = performance.now();
  const runs = Math.max(1, Math.round(options.runs * (spec.weight ?? 1)));
  const base = { name: spec.name, kind: spec.kind, requirements: spec.requirements, cls: env.cls };
  let details: fc.RunDetails<unknown>;
  try {
    const common = { seed: options.seed, numRuns: runs, timeout: options.runTimeoutMs ?? 20_000 };
    if (options.path !== undefined) {
      details = await fc.check(spec.property(env), {
        ...common,
        path: options.path,
        endOnFailure: true,
        markInterruptAsFailure: true,
      });
    } else {
      // Find a failure first, then shrink it within a time budget from its path.
      const found = await fc.check(spec.property(env), { ...common, endOnFailure: true, markInterruptAsFailure: true });
      details = found;
      if (found.failed && found.counterexamplePath) {
        const shrunk = await fc.check(spec.property(env), {
          ...common,
          path: found.counterexamplePath,
          interruptAfterTimeLimit: options.shrinkTimeMs ?? 10_000,
          markInterruptAsFailure: false,
        });
        // A failure that does not happen again when replayed is reported as found, unshrunk; so is
        // one whose replay the time budget cut short before it failed (it carries no error).
        if (shrunk.failed && shrunk.errorInstance !== null && shrunk.errorInstance !== undefined) details = shrunk;
      }
    }
  } catch (error) {
    return {
      ...base,
      status: 'fail',
      reason: `the property could not run: ${(error as Error).message}`,
      runs: 0,
      durationMs: performance.now() - started,
    };
  }
  const durationMs = performance.now() - started;
  if (!details.failed) return { ...base, status: 'pass', runs: details.numRuns, durationMs };
  const counterexample = details.counterexample === null ? undefined : fc.stringify(details.counterexample);
  const replayPath = counterexample ? REPLAY_PATH.exec(counterexample)?.[1] : undefined;
  const thrown = details.errorInstance as Error | undefined;
  // A model mismatch names what it breaks; an error a store operation threw and the property did not
  // expect breaks that operation's requirements; anything else is charged to the whole property.
  const error = thrown instanceof ModelMismatch ? thrown : (UnexpectedOperationError.of(thrown) ?? thrown);
  const named =
    error instanceof ModelMismatch || error instanceof UnexpectedOperationError ? [...error.requirements] : [];
  return {
    ...base,
    status: 'fail',
    failedRequirements: named.length > 0 ? named : spec.requirements,
    reason: error?.message ?? (details.interrupted ? 'interrupted (a run timed out)' : 'failed'),
    ...(counterexample === undefined ? {} : { counterexample }),
    replay: { seed: details.seed, path: details.counterexamplePath ?? '', ...(replayPath ? { replayPath } : {}) },
    runs: details.numRuns,
    durationMs,
  };
}
