import { Type } from '@sinclair/typebox';
import { claim, type ClaimSurface, type Registry } from '@stateproof/core';
import type { DurabilityClass } from '@stateproof/spec';

/** The claim surface that claim properties define when any result will do. */
export function defineClaim(registry: Registry, cls: DurabilityClass, id = 'conformance.claim'): ClaimSurface<unknown> {
  return claim(id, { durability: cls, result: Type.Unknown(), registry }) as ClaimSurface<unknown>;
}
