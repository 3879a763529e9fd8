import { ClosedError } from '../errors/outcome-errors.js';

/**
 * The closed state in front of an adapter's stores, owned by core: once closed, every operation on a
 * guarded store fails with ClosedError before the adapter sees it. The first close names what was
 * closed (`runtime`, `memory adapter`, …), and that name is what the errors say.
 */
export class ClosedGate {
  private closedBy: string | undefined;

  /** Whether {@link close} was called. */
  get isClosed(): boolean {
    return this.closedBy !== undefined;
  }

  /** Closes the gate for good; `what` names what was closed. Later calls change nothing. */
  close(what: string): void {
    this.closedBy ??= what;
  }

  /** Throws ClosedError once the gate is closed. */
  assertOpen(): void {
    if (this.closedBy !== undefined) throw new ClosedError(this.closedBy);
  }
}
