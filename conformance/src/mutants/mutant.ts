import type { DurabilityClass, SurfaceKind } from '@stateproof/spec';
import type { ConformanceTarget } from '../environment/conformance-target.js';

/** A deliberately broken adapter: one realistic bug that the suite must catch. */
export interface Mutant {
  /** Stable kebab-case name. */
  readonly name: string;
  /** The kind the bug lives in; the suite runs that kind's properties against it. */
  readonly kind: SurfaceKind;
  /** The bug, in one sentence. */
  readonly bug: string;
  /** Requirement ids the bug violates. */
  readonly breaks: readonly string[];
  /**
   * The properties run against it (default: every property of its kind, in the suite's order). An
   * engine mutant on a server names the ones aimed at its bug, so that a full `stateproof mutants`
   * does not replay the whole kind against a network backend before reaching them.
   */
  readonly properties?: readonly string[];
  /** A fresh target for the broken adapter. */
  target(): ConformanceTarget;
  /**
   * Also run the crash harness against it (the target needs a spawn recipe), with these kinds: for
   * bugs that only a killed process shows. Without `suite: false`, the conformance suite runs too.
   * `killBackend` also kills the target's server (it needs `server`, which is stopped afterwards).
   * `classes` runs the harness once per class (derived-projection needs asking for: it has a
   * workload of its own); default: the harness's own choice of class.
   */
  readonly crash?: {
    /** The kinds the harness exercises. */
    readonly kinds: readonly SurfaceKind[];
    /** Worker kills (default: the harness's). */
    readonly kills?: number;
    /** Also kill the target's server. */
    readonly killBackend?: boolean;
    /** Run the harness once per class. */
    readonly classes?: readonly DurabilityClass[];
  };
  /** False when only the crash harness can see the bug (default true). */
  readonly suite?: boolean;
  /** Why the mutant cannot run on this machine (it needs a server binary that is missing), or undefined when it can. */
  unavailable?(): string | undefined;
}
