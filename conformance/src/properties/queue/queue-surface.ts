import { Type } from '@sinclair/typebox';
import { queue, type QueueSurface, type Registry } from '@stateproof/core';
import type { DurabilityClass } from '@stateproof/spec';

/** The queue surface that queue properties define when any payload and the default retry will do. */
export function defineQueue(
  registry: Registry,
  cls: DurabilityClass,
  id = 'conformance.queue',
): QueueSurface<unknown, unknown> {
  return queue(id, { durability: cls, payload: Type.Unknown(), registry }) as QueueSurface<unknown, unknown>;
}
