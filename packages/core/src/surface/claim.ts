import type { Static, TSchema } from '@sinclair/typebox';
import { defineSurface } from './define-surface.js';
import type { ClaimOptions } from './surface-options.js';
import type { ClaimSurface } from './surface.js';

/**
 * Defines a claim surface: effect claims and idempotency keys with leases, fencing tokens and terminal completion.
 * Call it at module top level with a literal id; the linter reads these calls.
 *
 * @param id - stable surface id, e.g. `"effects.charge-card"`
 * @param options - `durability`, the `result` schema (TypeBox), and kind options
 */
export function claim<const Id extends string, S extends TSchema>(
  id: Id,
  options: ClaimOptions<S>,
): ClaimSurface<Static<S>> {
  return defineSurface('claim', id, options) as ClaimSurface<Static<S>>;
}
