import type { DurabilityClass, SurfaceKind } from '@stateproof/spec';

/** What the class rules need to know of a surface: what the runtime, the definitions and the linter all have. */
export interface SurfaceFacts {
  /** The surface id. */
  readonly id: string;
  /** The surface kind. */
  readonly kind: SurfaceKind;
  /** The surface's durability class. */
  readonly class: DurabilityClass;
}

/**
 * Why `source` cannot be the source of a derived projection (spec/contract/classes.md, PRJ-001 and
 * TEL-005), or undefined when it can. A projection folds the entries of an authoritative log:
 * telemetry is never an authority (it drops entries by design), an ephemeral log may vanish with
 * nothing to rebuild from, and only a log has entries to fold. One rule for the definitions, the
 * runtime and the linter.
 */
export function projectionSourceProblem(source: SurfaceFacts): string | undefined {
  if (source.class === 'telemetry')
    return `its source "${source.id}" is telemetry, which drops entries by design and is never the authority a projection folds`;
  if (source.class === 'ephemeral')
    return `its source "${source.id}" is ephemeral: a projection of state that may vanish could not be rebuilt from it`;
  if (source.kind !== 'log')
    return `its source "${source.id}" is a ${source.kind}; a projector folds the entries of a log`;
  return undefined;
}
