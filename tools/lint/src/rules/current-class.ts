import { currentDurability, type DurabilityClass, type SurfaceKind } from '@stateproof/spec';
import type { InventorySurface } from './inventory-surface.js';

/**
 * What probing the live backends found (`stateproof lint --probe`): per `current.backend` value of
 * the inventory, the strongest class the backend's probe certifies and its adapter hosts, per kind.
 */
export type ProbedBackends = ReadonlyMap<string, Partial<Record<SurfaceKind, DurabilityClass>>>;

/**
 * The class a surface has today: the one its `current` says or its backend implies
 * (`currentDurability`), else, for a backend URL that was probed, what the probe found for its kind.
 */
export function currentClassOf(s: InventorySurface, probed?: ProbedBackends): DurabilityClass | undefined {
  const stated = currentDurability(s.current);
  if (stated !== undefined) return stated;
  const backend = s.current?.backend;
  return backend === undefined ? undefined : probed?.get(backend)?.[s.entry.kind];
}

/** The backend URLs of an inventory's `current` entries that a probe can fill in: Postgres and Redis servers. */
export function probeableBackends(surfaces: readonly InventorySurface[]): string[] {
  const urls = surfaces
    .filter((s) => currentDurability(s.current) === undefined)
    .map((s) => s.current?.backend)
    .filter((b): b is string => b !== undefined && /^(postgres(ql)?|rediss?):\/\//i.test(b.trim()));
  return [...new Set(urls)].sort();
}
