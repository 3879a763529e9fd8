import { ClosedError } from '../errors/outcome-errors.js';

/**
 * Tracks whether an adapter instance is open, and the subscriptions, timers and connections to end
 * when it closes. Every adapter needs the same bookkeeping, so it lives here once.
 */
export class AdapterLifecycle {
  private open = true;
  private readonly closers = new Set<() => void | Promise<void>>();

  /** `what` names the adapter in the ClosedError thrown after close (e.g. `memory adapter`). */
  constructor(private readonly what = 'adapter') {}

  /**
   * Throws ClosedError once the adapter is closed: for what the backend itself needs (a pool that
   * is ending, say). Stores need no check per operation; core's guard refuses them after close.
   */
  assertOpen(): void {
    if (!this.open) throw new ClosedError(this.what);
  }

  /** True until {@link close} is called. */
  get isOpen(): boolean {
    return this.open;
  }

  /** Registers something to close with the adapter; returns a function that unregisters it. */
  track(close: () => void | Promise<void>): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  /** Closes everything tracked. Idempotent. */
  async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    const all = [...this.closers];
    this.closers.clear();
    await Promise.allSettled(all.map((c) => c()));
  }
}
