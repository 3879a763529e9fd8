import type { Static, TSchema } from '@sinclair/typebox';
import { defineSurface } from './define-surface.js';
import type { DataspaceOptions } from './surface-options.js';
import type { DataspaceSurface } from './surface.js';

/**
 * Defines a dataspace surface: owned assertions of live sessions, retracted when their owner closes or dies.
 * Call it at module top level with a literal id; the linter reads these calls.
 *
 * @param id - stable surface id, e.g. `"presence.routes"`
 * @param options - `durability`, the `value` schema (TypeBox), and kind options
 */
export function dataspace<const Id extends string, S extends TSchema>(
  id: Id,
  options: DataspaceOptions<S>,
): DataspaceSurface<Static<S>> {
  return defineSurface('dataspace', id, options) as DataspaceSurface<Static<S>>;
}
