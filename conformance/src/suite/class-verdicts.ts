import {
  CLASSES,
  type ClassVerdict,
  type ConformanceCheck,
  type DurabilityClass,
  type SurfaceKind,
} from '@stateproof/spec';

/** One check of a class verdict (`ClassCheckSchema` of the certificate). */
export type ClassCheck = ClassVerdict['checks'][number];

/** The check families the crash harness decides; everything else comes from properties. */
export const CRASH_CHECKS: readonly ConformanceCheck[] = ['process-crash', 'backend-crash'];

/** The check families the suite's properties decide (docs/conformance.md, "Verdicts per class"). */
export const PROPERTY_CHECKS: readonly ConformanceCheck[] = [
  'model',
  'reopen',
  'concurrent-linearizability',
  'rebuild-from-source',
  'single-writer',
  'bounded-size',
  'non-blocking-append',
  'drops-counted',
];

/**
 * The check family a property belongs to: the one it names (the properties of a class's own
 * checks, spec/contract/classes.md), else a concurrency property (parallel clients checked for
 * linearizability) to `concurrent-linearizability`, a `<kind>/reopen` property to `reopen`, every
 * other one to `model`. Named once here so that verdicts and docs agree.
 */
export function checkFamilyOf(spec: {
  readonly name: string;
  readonly concurrency?: boolean;
  readonly family?: ConformanceCheck;
}): ConformanceCheck {
  if (spec.family) return spec.family;
  if (spec.concurrency) return 'concurrent-linearizability';
  if (spec.name.endsWith('/reopen')) return 'reopen';
  return 'model';
}

/** What the properties of one family did for one kind and class. */
export interface FamilyEvidence {
  /** Properties of the family that apply to the kind, class and adapter. */
  readonly applicable: readonly string[];
  /** Those that ran and passed. */
  readonly passed: readonly string[];
  /** Those that ran and failed. */
  readonly failed: readonly string[];
  /** Applicable but not run: left out by the selection, or stopped by failFast. */
  readonly notRun: readonly string[];
  /** Why the family's properties did not apply (when none did). */
  readonly skipReasons: readonly string[];
}

/** The command that runs what a missing crash check needs. */
const CRASH_HINT = 'run `stateproof certify` (or `stateproof crash`)';

function list(names: readonly string[], max = 4): string {
  return names.length > max ? `${names.slice(0, max).join(', ')}, …` : names.join(', ');
}

/** Turns the evidence of one property family into a check of the class verdict. */
export function propertyCheck(check: ConformanceCheck, kind: SurfaceKind, e: FamilyEvidence | undefined): ClassCheck {
  if (!e || e.applicable.length === 0) {
    const why = e && e.skipReasons.length > 0 ? `: ${[...new Set(e.skipReasons)].join('; ')}` : '';
    return { check, status: 'missing', detail: `no ${check} property of the suite applies to ${kind}${why}` };
  }
  const total = e.applicable.length;
  if (e.failed.length > 0)
    return { check, status: 'fail', detail: `${e.failed.length} of ${total} properties failed: ${list(e.failed)}` };
  if (e.notRun.length > 0)
    return {
      check,
      status: 'missing',
      detail: `${e.passed.length} of ${total} properties ran; not run: ${list(e.notRun)}`,
    };
  return { check, status: 'pass', detail: `${total} of ${total} properties passed` };
}

/** A check nothing has decided yet: crash checks owe a harness run, the rest have no check in the suite. */
export function missingCheck(check: ConformanceCheck, kind: SurfaceKind): ClassCheck {
  if (check === 'process-crash') return { check, status: 'missing', detail: `no process was killed: ${CRASH_HINT}` };
  if (check === 'backend-crash')
    return {
      check,
      status: 'missing',
      detail: `the backend was never killed: run \`stateproof certify\` (or \`stateproof crash --kill-backend\`) with a target that owns its server`,
    };
  if (PROPERTY_CHECKS.includes(check))
    return { check, status: 'missing', detail: `not run: \`stateproof conform\` checks ${check} for ${kind}` };
  return { check, status: 'missing', detail: `the suite has no ${check} check yet` };
}

/**
 * Settles a class verdict from its checks: `fail` when a check failed or `failed` says something
 * else of the kind and class failed (a property outside the required families), `certified` when
 * every check the taxonomy requires passed, `partial` otherwise, with the missing checks named.
 */
export function settleClassVerdict(
  cls: DurabilityClass,
  kind: SurfaceKind,
  checks: readonly ClassCheck[],
  failed = false,
): ClassVerdict {
  const byCheck = new Map(checks.map((c) => [c.check, c]));
  const required = CLASSES[cls].checks.map((check) => byCheck.get(check) ?? missingCheck(check, kind));
  const missing = required.filter((c) => c.status === 'missing').map((c) => c.check);
  const verdict =
    failed || required.some((c) => c.status === 'fail') ? 'fail' : missing.length > 0 ? 'partial' : 'certified';
  return { class: cls, kind, verdict, checks: required, missing };
}

/** The verdict of a whole certificate: fail when anything failed, certified when every class is, else partial. */
export function certificateVerdict(
  classes: readonly ClassVerdict[],
  anythingFailed: boolean,
): 'certified' | 'partial' | 'fail' {
  if (anythingFailed || classes.some((c) => c.verdict === 'fail')) return 'fail';
  return classes.length > 0 && classes.every((c) => c.verdict === 'certified') ? 'certified' : 'partial';
}

/** One line per class verdict that is not certified: what is owed, for reports and test notes. */
export function owedChecks(classes: readonly ClassVerdict[]): string[] {
  return classes
    .filter((c) => c.verdict !== 'certified')
    .map(
      (c) =>
        `${c.class} ${c.kind}: ${c.verdict}; ${
          c.checks
            .filter((k) => k.status !== 'pass')
            .map((k) => `${k.check} ${k.status === 'fail' ? 'failed' : 'missing'} (${k.detail})`)
            .join('; ') || 'a property outside the required checks failed'
        }`,
    );
}
