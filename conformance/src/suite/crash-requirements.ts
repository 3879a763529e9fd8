import type { ClassVerdict, SurfaceKind } from '@stateproof/spec';
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

/** What a requirement verdict must look like to be settled against the crash checks still owed. */
interface RequirementLike {
  readonly id: string;
  readonly kind: SurfaceKind;
  readonly status: 'pass' | 'fail' | 'skip';
  readonly properties: readonly string[];
  readonly reason?: string;
}

/** The crash checks still owed for `kind`: per class of the run that requires one, the missing ones. */
export function crashChecksOwed(classes: readonly ClassVerdict[], kind: SurfaceKind): string[] {
  return classes
    .filter((c) => c.kind === kind)
    .flatMap((c) =>
      c.checks
        .filter((k) => CRASH_CHECKS.includes(k.check) && k.status === 'missing')
        .map((k) => `${k.check} for ${c.class}`),
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
    if (!(CRASH_REQUIREMENTS[r.kind] ?? []).includes(r.id) || r.status === 'fail') return r;
    const owed = crashChecksOwed(classes, r.kind);
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
