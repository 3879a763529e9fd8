import type { Static, TSchema } from '@sinclair/typebox';
import { defineSurface } from './define-surface.js';
import type { RecordOptions } from './surface-options.js';
import type { RecordSurface } from './surface.js';

/**
 * Defines a record surface: keyed JSON values with backend-owned versions, compare-and-set, prefix listing and optional TTL.
 * Call it at module top level with a literal id; the linter reads these calls.
 *
 * @param id - stable surface id, e.g. `"orders.by-id"`
 * @param options - `durability`, the `value` schema (TypeBox), and kind options
 */
export function record<const Id extends string, S extends TSchema>(
  id: Id,
  options: RecordOptions<S>,
): RecordSurface<Static<S>> {
  return defineSurface('record', id, options) as RecordSurface<Static<S>>;
}
