import { ClosedError } from '@stateproof/core';

/** Tracks whether an adapter instance is open, and the subscriptions to end when it closes. */
export class AdapterLifecycle {
  private open = true;
  private readonly closers = new Set<() => void | Promise<void>>();

  /** Throws ClosedError once the adapter is closed. */
  assertOpen(): void {
    if (!this.open) throw new ClosedError('memory adapter');
  }

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
