import { dataspace, type DataspaceSurface } from '@stateproof/core';
import { limitsProperty } from '../common/limits-property.js';
import { LONG } from './dataspace-surface.js';

/** Malformed ids and values are refused and assert nothing. */
export const dataspaceLimitsProperty = limitsProperty<DataspaceSurface<unknown>>({
  kind: 'dataspace',
  name: 'assert',
  requirements: { invalidKey: 'DSP-018', notIJson: 'DSP-019', tooLarge: 'DSP-019', schema: 'DSP-019' },
  define: (registry, cls, schema, maxValueBytes) =>
    dataspace('conformance.limits', {
      durability: cls,
      value: schema,
      maxValueBytes,
      registry,
    }) as DataspaceSurface<unknown>,
  setup: async () => undefined,
  write: async (rt, s, key, value) => (await rt.use(s).openSession({ owner: 'o', leaseMs: LONG })).assert(key, value),
  state: async (rt, s) => (await rt.use(s).list()).assertions,
});
