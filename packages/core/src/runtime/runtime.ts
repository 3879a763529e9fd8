import type { ManifestDocument, ProbeResultDocument } from '@stateproof/spec';
import type { Adapter } from '../adapter/adapter.js';
import type { RuntimeScope } from '../scope/runtime-scope.js';
import type { AnySurface } from '../surface/surface.js';
import type { HandleOf } from './handle-of.js';
import type { MaintenanceReport } from './maintenance-loop.js';
import type { Mode } from './mode.js';
import type { Violation } from './violation-reporter.js';
import type { ProjectedValue, ProjectOptions } from '../projection/project-options.js';
import type { Projector } from '../projection/projector.js';

/** A set of surfaces bound to one adapter under one scope and mode (see {@link openRuntime}). */
export interface Runtime {
  /**
   * The adapter the surfaces are bound to, as core guards it: its stores refuse every operation
   * once the runtime or the adapter is closed, and every feature the adapter does not claim.
   */
  readonly adapter: Adapter;
  /** Namespace, app and deployment of every key. */
  readonly scope: RuntimeScope;
  /** How violations are treated. */
  readonly mode: Mode;
  /** The manifest of the bound surfaces (built at startup). */
  readonly manifest: ManifestDocument;
  /** What the adapter's probe reported at startup. */
  readonly probe: ProbeResultDocument;
  /** Fingerprint of the bound surfaces. */
  readonly fingerprint: string;
  /** Every violation observed so far (also the allowed ones in `off` mode). */
  readonly violations: readonly Violation[];
  /**
   * The typed handle of a surface. A surface that was not bound at startup (defined later, or not
   * in the list) is checked and bound now; defining it after startup was already reported by the registry.
   */
  use<S extends AnySurface>(surface: S): HandleOf<S>;
  /**
   * The projector of a derived projection (spec/contract/classes.md): it folds the entries of the
   * source log's `stream` into the projection with `project`, committing each batch's writes with
   * its cursor in one atomic step. The only writer of the projection; `use(projection)` reads it.
   */
  project<P extends AnySurface, S>(
    projection: P,
    options: ProjectOptions<S, ProjectedValue<P>>,
  ): Projector<S, ProjectedValue<P>>;
  /**
   * Runs the reapers of every bound queue and dataspace now (any participant may; they are
   * conditional and idempotent) and renews this process's fingerprint lease.
   */
  maintain(): Promise<MaintenanceReport>;
  /**
   * Stops the projectors, flushes pending telemetry (for `flushOnCloseMs` at most), leaves the
   * deployment registry and closes the adapter. Idempotent.
   */
  close(): Promise<void>;
}
