import type { DurabilityClass, SurfaceKind } from '@stateproof/spec';
import { UnsupportedError } from '../errors/outcome-errors.js';
import type { ClosedGate } from './closed-gate.js';

/** What the guarded store of one surface checks before an operation reaches the adapter: closed state and features. */
export class StoreGuard {
  constructor(
    private readonly gate: ClosedGate,
    private readonly kind: SurfaceKind,
    /** The optional features the adapter claims for `kind`. */
    private readonly features: Readonly<Record<string, boolean | undefined>>,
    private readonly adapterName: string,
    /** The classes the adapter claims for `kind`. */
    private readonly classes: readonly DurabilityClass[] = [],
  ) {}

  /** Throws ClosedError once the runtime or the adapter is closed. */
  open(): void {
    this.gate.assertOpen();
  }

  /** Throws UnsupportedError unless the adapter claims `feature`; `what` names the operation that needs it. */
  need(feature: string, what: string): void {
    if (this.features[feature] !== true) {
      throw new UnsupportedError(`${what} (feature "${feature}" of ${this.kind})`, this.adapterName);
    }
  }

  /** Throws UnsupportedError unless the adapter claims class `cls` for the kind; `what` names the operation that needs it. */
  needClass(cls: DurabilityClass, what: string): void {
    if (!this.classes.includes(cls))
      throw new UnsupportedError(`${what} (class ${cls} of ${this.kind})`, this.adapterName);
  }

  /** The error of an adapter that claims a class but lacks an operation it needs: the adapter's bug, said plainly. */
  unimplemented(method: string): Error {
    return new Error(
      `the ${this.adapterName} adapter claims derived-projection for ${this.kind} surfaces, but its store has no ${method}()`,
    );
  }
}
