import { Type } from '@sinclair/typebox';
import { log, type LogSurface, type Registry } from '@stateproof/core';
import type { DurabilityClass } from '@stateproof/spec';

/**
 * The log surface that log properties define when any value will do; a telemetry log gets the bound
 * its class requires, and `extra` adds surface options.
 */
export function defineLog(
  registry: Registry,
  cls: DurabilityClass,
  id = 'conformance.log',
  extra: object = {},
): LogSurface<unknown> {
  const bound = cls === 'telemetry' ? { retention: { maxEntries: 1000 } } : {};
  return log(id, { durability: cls, value: Type.Unknown(), ...bound, ...extra, registry }) as LogSurface<unknown>;
}
