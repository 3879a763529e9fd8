import type { SurfaceKind } from '@stateproof/spec';
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
}
