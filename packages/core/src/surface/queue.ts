import type { Static, TSchema, TUnknown } from '@sinclair/typebox';
import { defineSurface } from './define-surface.js';
import type { QueueOptions } from './surface-options.js';
import type { QueueSurface } from './surface.js';

/**
 * Defines a queue surface: at-least-once tasks with leases, fencing, retries with backoff,
 * cancellation and a reaper. Call it at module top level with a literal id; the linter reads these calls.
 *
 * @param id - stable surface id, e.g. `"jobs.default"`
 * @param options - `durability`, the `payload` schema (TypeBox), optional `result` schema, retry and lease options
 */
export function queue<const Id extends string, P extends TSchema, R extends TSchema = TUnknown>(
  id: Id,
  options: QueueOptions<P, R>,
): QueueSurface<Static<P>, Static<R>> {
  return defineSurface('queue', id, options) as QueueSurface<Static<P>, Static<R>>;
}
