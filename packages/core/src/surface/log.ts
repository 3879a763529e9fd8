import type { Static, TSchema } from '@sinclair/typebox';
import { defineSurface } from './define-surface.js';
import type { LogOptions } from './surface-options.js';
import type { LogSurface } from './surface.js';

/**
 * Defines a log surface: append-only streams with gap-free sequences, retention and durable consumer cursors.
 * Call it at module top level with a literal id; the linter reads these calls.
 *
 * @param id - stable surface id, e.g. `"audit.events"`
 * @param options - `durability`, the `value` schema (TypeBox), and kind options
 */
export function log<const Id extends string, S extends TSchema>(id: Id, options: LogOptions<S>): LogSurface<Static<S>> {
  return defineSurface('log', id, options) as LogSurface<Static<S>>;
}
