import type { AnySurface } from '../../surface/surface.js';
import { optionalInt, optionObject } from '../../validation/option-checks.js';

/**
 * The lease of a claim or session operation: the `leaseMs` of its options (which may also name the
 * `owner`), else the surface's default lease.
 */
export function leaseOption(surface: AnySurface, options: unknown): number {
  const o = optionObject(options, '', ['leaseMs', 'owner']);
  return optionalInt(o['leaseMs'], 'leaseMs') ?? (surface.definition.options.leaseMs as number);
}
