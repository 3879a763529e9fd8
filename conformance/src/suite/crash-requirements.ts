import type { ClassVerdict, DurabilityClass, SurfaceKind } from '@stateproof/spec';
import { CRASH_CHECKS } from './class-verdicts.js';

/**
 * The requirement ids a kind's crash check decides ("survives what the class promises"): for a class
 * that needs a crash, close-and-reopen alone never passes them.
 */
export const CRASH_REQUIREMENTS: Readonly<Partial<Record<SurfaceKind, readonly string[]>>> = {
  record: ['REC-032'],
  log: ['LOG-030', 'LOG-015'],
  claim: ['CLM-019'],
  queue: ['QUE-036'],
  dataspace: ['DSP-024'],
};

/**
 * The requirement ids a class's own crash check decides, whatever the kind: a derived projection's
 * commit of writes with the cursor and its resumption from the cursor hold only if a killed
 * projector left neither a double nor a gap (spec/contract/classes.md).
 */
export const CLASS_CRASH_REQUIREMENTS: Readonly<Partial<Record<DurabilityClass, readonly string[]>>> = {
  'derived-projection': ['PRJ-003', 'PRJ-004'],
};

/** The requirement ids a crash run of `cls` on `kind` decides: the class's own, or else the kind's. */
export function crashRequirementsOf(cls: DurabilityClass, kind: SurfaceKind): readonly string[] {
  return CLASS_CRASH_REQUIREMENTS[cls] ?? CRASH_REQUIREMENTS[kind] ?? [];
}

/** The class whose crash check decides requirement `id`, if a class's own does. */
function classOfCrashRequirement(id: string): DurabilityClass | undefined {
  return (Object.keys(CLASS_CRASH_REQUIREMENTS) as DurabilityClass[]).find((c) =>
    CLASS_CRASH_REQUIREMENTS[c]?.includes(id),
  );
}

/** What a requirement verdict must look like to be settled against the crash checks still owed. */
export interface RequirementLike {
  /** The requirement id. */
  readonly id: string;
  /** The kind it is about. */
  readonly kind: SurfaceKind;
  /** Its verdict so far. */
  readonly status: 'pass' | 'fail' | 'skip';
  /** The properties that checked it. */
  readonly properties: readonly string[];
  /** Why it was skipped, or what failed. */
  readonly reason?: string;
}

/**
 * The crash checks still owed for `kind`: per class of the run that requires one, the missing ones.
 * Classes with crash requirements of their own (a derived projection) owe them to those, not to the kind's.
 */
export function crashChecksOwed(classes: readonly ClassVerdict[], kind: SurfaceKind): string[] {
  return owedOf(classes.filter((c) => c.kind === kind && CLASS_CRASH_REQUIREMENTS[c.class] === undefined));
}

/** The crash checks a class still owes, on any kind. */
function classCrashChecksOwed(classes: readonly ClassVerdict[], cls: DurabilityClass): string[] {
  return owedOf(
    classes.filter((c) => c.class === cls),
    true,
  );
}

function owedOf(classes: readonly ClassVerdict[], withKind = false): string[] {
  return classes.flatMap((c) =>
    c.checks
      .filter((k) => CRASH_CHECKS.includes(k.check) && k.status === 'missing')
      .map((k) => `${k.check} for ${c.class}${withKind ? ` ${c.kind}s` : ''}`),
  );
}

/**
 * Holds back the crash requirements of a kind while a class of the run still owes a crash check: a
 * pass from properties (close-and-reopen, a server that never went down) becomes a skip that names
 * what passed and what is owed. A failure stays a failure. Once the owed checks ran (the crash
 * certificate merge calls this again) a held-back requirement passes.
 */
export function settleCrashRequirements<R extends RequirementLike>(
  requirements: readonly R[],
  classes: readonly ClassVerdict[],
): R[] {
  return requirements.map((r): R => {
    const cls = classOfCrashRequirement(r.id);
    if ((!cls && !(CRASH_REQUIREMENTS[r.kind] ?? []).includes(r.id)) || r.status === 'fail') return r;
    const owed = cls ? classCrashChecksOwed(classes, cls) : crashChecksOwed(classes, r.kind);
    if (owed.length > 0 && (r.status === 'pass' || r.properties.length > 0)) {
      const ran = r.properties.length > 0 ? `passed ${r.properties.join(', ')}, but ` : '';
      return {
        ...r,
        status: 'skip',
        reason: `${ran}a crash is still owed (${owed.join('; ')}): run \`stateproof certify\``,
      };
    }
    if (owed.length === 0 && r.status === 'skip' && r.properties.length > 0) {
      const { reason: _reason, ...rest } = r;
      return { ...rest, status: 'pass' } as unknown as R;
    }
    return r;
  });
}
