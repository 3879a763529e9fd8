import {
  DEFAULT_ENDED_SESSION_RETENTION_MS,
  DEFAULT_FINISHED_RETENTION_MS,
  DEFAULT_RETRY,
  ManualClock,
  type BindingByKind,
} from '@stateproof/core';
import type { SurfaceKind } from '@stateproof/spec';
import { memoryAdapter, MemoryBackend, type MemoryAdapter } from '@stateproof/adapter-memory';

/** A binding as core would build it, for direct store tests. */
export function binding<K extends SurfaceKind>(kind: K, overrides: Partial<BindingByKind[K]> = {}): BindingByKind[K] {
  const base = { surfaceId: `test.${kind}`, kind, class: 'ephemeral' as const, space: `sp1:test:a:app:test.${kind}:` };
  // Only a queue binding carries attempt options: a store of another kind never sees them.
  const queue =
    kind === 'queue'
      ? {
          leaseMs: 1000,
          retry: { ...DEFAULT_RETRY, jitter: 0 },
          concurrency: {},
          attemptHistory: 20,
          retention: { finishedMs: DEFAULT_FINISHED_RETENTION_MS },
        }
      : kind === 'dataspace'
        ? { retention: { endedSessionsMs: DEFAULT_ENDED_SESSION_RETENTION_MS } }
        : {};
  return { ...base, ...queue, ...overrides } as unknown as BindingByKind[K];
}

/** An adapter on a manual clock, with a deterministic random source. */
export function setup(options: { backend?: MemoryBackend; random?: () => number; namespace?: string } = {}): {
  clock: ManualClock;
  adapter: MemoryAdapter;
  backend: MemoryBackend;
} {
  const clock = new ManualClock(1_000_000);
  const backend = options.backend ?? new MemoryBackend();
  return {
    clock,
    backend,
    adapter: memoryAdapter({
      clock,
      backend,
      random: options.random ?? (() => 0.5),
      ...(options.namespace ? { namespace: options.namespace } : {}),
    }),
  };
}
