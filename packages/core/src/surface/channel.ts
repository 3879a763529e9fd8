import type { Static, TSchema } from '@sinclair/typebox';
import { defineSurface } from './define-surface.js';
import type { ChannelOptions } from './surface-options.js';
import type { ChannelSurface } from './surface.js';

/**
 * Defines a channel surface: at-most-once broadcast to every live subscriber (ephemeral only).
 * Call it at module top level with a literal id; the linter reads these calls.
 *
 * @param id - stable surface id, e.g. `"ws.fanout"`
 * @param options - `durability`, the `message` schema (TypeBox), and kind options
 */
export function channel<const Id extends string, S extends TSchema>(
  id: Id,
  options: ChannelOptions<S>,
): ChannelSurface<Static<S>> {
  return defineSurface('channel', id, options) as ChannelSurface<Static<S>>;
}
