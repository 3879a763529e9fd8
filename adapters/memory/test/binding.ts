import { DEFAULT_RETRY, ManualClock, type SurfaceBinding } from '@stateproof/core';
import type { SurfaceKind } from '@stateproof/spec';
import { memoryAdapter, MemoryBackend, type MemoryAdapter } from '@stateproof/adapter-memory';

/** A binding as core would build it, for direct store tests. */
export function binding(kind: SurfaceKind, overrides: Partial<SurfaceBinding> = {}): SurfaceBinding {
  return {
    surfaceId: `test.${kind}`,
    kind,
    class: 'ephemeral',
    space: `sp1:test:a:app:test.${kind}:`,
    leaseMs: 1000,
    retry: { ...DEFAULT_RETRY, jitter: 0 },
    concurrency: {},
    attemptHistory: 20,
    ...overrides,
  };
}

/** An adapter on a manual clock, with a deterministic random source. */
export function setup(options: { backend?: MemoryBackend; random?: () => number; namespace?: string } = {}): { clock: ManualClock; adapter: MemoryAdapter; backend: MemoryBackend } {
  const clock = new ManualClock(1_000_000);
  const backend = options.backend ?? new MemoryBackend();
  return { clock, backend, adapter: memoryAdapter({ clock, backend, random: options.random ?? (() => 0.5), ...(options.namespace ? { namespace: options.namespace } : {}) }) };
}
