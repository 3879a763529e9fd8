import { DEFAULT_RETRY, type SurfaceBinding } from '@stateproof/core';
import type { SurfaceKind } from '@stateproof/spec';

/** A binding as core would build it, for direct store tests (also used by the child processes). */
export function binding(kind: SurfaceKind, overrides: Partial<SurfaceBinding> = {}): SurfaceBinding {
  return {
    surfaceId: `test.${kind}`,
    kind,
    class: 'restart-safe-local',
    space: `sp1:test:a:app:test.${kind}:`,
    leaseMs: 1000,
    retry: { ...DEFAULT_RETRY, jitter: 0 },
    concurrency: {},
    attemptHistory: 20,
    ...overrides,
  };
}
