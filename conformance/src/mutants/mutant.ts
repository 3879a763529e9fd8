import type { SurfaceKind } from '@stateproof/spec';
import type { ConformanceTarget } from '../suite/conformance-target.js';

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
  /** A fresh target for the broken adapter. */
  target(): ConformanceTarget;
}
