import type { AdapterCapabilities } from '@stateproof/core';
import type { DurabilityClass } from '@stateproof/spec';

/** The authoritative classes a derived projection's source may have in a run, strongest first. */
export const PROJECTION_SOURCE_CLASSES: readonly DurabilityClass[] = ['shared-durable', 'restart-safe-local'];

/**
 * The class a run gives the source log of the projections it defines: the strongest authoritative
 * class the adapter claims for logs and its backend can hold (`refused` says which it cannot), or
 * undefined when there is none, and so no source a projection may have (PRJ-001).
 */
export function projectionSourceClass(
  capabilities: AdapterCapabilities,
  refused: (cls: DurabilityClass) => boolean = () => false,
): DurabilityClass | undefined {
  const claimed = capabilities.kinds.log?.classes ?? [];
  return PROJECTION_SOURCE_CLASSES.find((c) => claimed.includes(c) && !refused(c));
}
