import type fc from 'fast-check';
import type { AdapterCapabilities } from '@stateproof/core';
import type { ConformanceCheck, DurabilityClass, SurfaceKind } from '@stateproof/spec';
import type { FixtureFactory } from './fixture.js';
import type { RequirementId } from '../requirements/requirement-ids.js';

/** What a property gets to build itself. */
export interface PropertyEnv {
  /** The class under test (surfaces the property defines use it). */
  readonly cls: DurabilityClass;
  /** What the adapter declares. */
  readonly capabilities: AdapterCapabilities;
  /** Fresh fixtures for each run. */
  readonly fixtures: FixtureFactory;
  /** True when the adapter's clock is injectable (exact time). */
  readonly exactTime: boolean;
  /** Concurrency properties report the size of their histories and the checker's verdict here. */
  readonly note: (stats: ConcurrencyStats) => void;
  /** Replays a shrunk command sequence: the `replayPath` its counterexample printed (model properties pass it to fc.commands). */
  readonly replayPath?: string;
  /**
   * The authoritative class a derived projection's source log gets in this run: the first of
   * shared-durable and restart-safe-local that the adapter claims for logs and its probe certifies;
   * undefined when it has neither (no projection can be hosted then).
   */
  readonly sourceClass?: DurabilityClass;
  /** The target, for properties that need its optional hooks (reopen, faults). */
  readonly target: import('./conformance-target.js').ConformanceTarget;
}

/** What a concurrency property observed in its last run. */
export interface ConcurrencyStats {
  /** Parallel clients. */
  readonly clients: number;
  /** Operations in the recorded history. */
  readonly operations: number;
  /** null when the checker gave up (timeout). */
  readonly linearizable: boolean | null;
}

/**
 * One conformance property: a fast-check property over an adapter, traced to the requirement ids of
 * spec/contract it checks. A failure shrinks to a minimal counterexample and is replayable from its
 * seed and path.
 */
export interface PropertySpec {
  /** Stable name, `<kind>/<what>`; used to select and replay it. */
  readonly name: string;
  /** The kind it checks. */
  readonly kind: SurfaceKind;
  /** Requirement ids (REC-001, …) this property checks. */
  readonly requirements: readonly RequirementId[];
  /** Optional features the adapter must claim for this property to apply. */
  readonly features?: readonly string[];
  /** Applies only when the adapter does NOT claim these features (the "unclaimed must be refused" direction). */
  readonly unclaimed?: readonly string[];
  /** Classes the property applies to (default: all the kind allows). */
  readonly classes?: readonly DurabilityClass[];
  /** Needs an injectable clock: expiry boundaries are checked exactly. */
  readonly exactTime?: boolean;
  /**
   * Whether the property applies beyond the declarative filters: `true`, or the reason it does not
   * (then every requirement it covers is skipped with that reason unless another property covers it).
   */
  readonly applies?: (env: PropertyEnv) => true | string;
  /** Runs relative to the suite's `runs` (default 1): expensive properties use less, cheap ones more. */
  readonly weight?: number;
  /** Marks a concurrency property: parallel clients checked for linearizability (reported in the certificate). */
  readonly concurrency?: boolean;
  /**
   * The check family of the class verdict this property decides, when it is one of a class's own
   * (`rebuild-from-source`, `single-writer`, `bounded-size`, …); default: `checkFamilyOf`'s rule.
   */
  readonly family?: ConformanceCheck;
  /** Builds the property. */
  property(env: PropertyEnv): fc.IAsyncProperty<any> | fc.IAsyncPropertyWithHooks<any>;
}
