import { DEFAULT_RETRY, type BindingByKind } from '@stateproof/core';
import type { SurfaceKind } from '@stateproof/spec';

/** A binding as core would build it, for direct store tests (also used by the child processes). */
export function binding<K extends SurfaceKind>(kind: K, overrides: Partial<BindingByKind[K]> = {}): BindingByKind[K] {
  const space = `sp1:test:a:app:test.${kind}:`;
  const base = { surfaceId: `test.${kind}`, kind, class: 'restart-safe-local' as const, space };
  // Only a queue binding carries attempt options: a store of another kind never sees them.
  const queue =
    kind === 'queue'
      ? { leaseMs: 1000, retry: { ...DEFAULT_RETRY, jitter: 0 }, concurrency: {}, attemptHistory: 20 }
      : {};
  return { ...base, ...queue, ...overrides } as unknown as BindingByKind[K];
}
