import { Type } from '@sinclair/typebox';
import { dataspace, type DataspaceSurface, type Registry } from '@stateproof/core';
import type { DurabilityClass } from '@stateproof/spec';

/** The dataspace surface that dataspace properties define when any value will do. */
export function defineDataspace(
  registry: Registry,
  cls: DurabilityClass,
  id = 'conformance.dataspace',
): DataspaceSurface<unknown> {
  return dataspace(id, { durability: cls, value: Type.Unknown(), registry }) as DataspaceSurface<unknown>;
}

/** A session lease no run outlives (an hour), for sessions that must not expire mid-property. */
export const LONG = 3_600_000;
