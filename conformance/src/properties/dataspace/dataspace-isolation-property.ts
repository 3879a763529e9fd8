import type { DataspaceSurface } from '@stateproof/core';
import { isolationProperty } from '../common/isolation-property.js';
import { LONG, defineDataspace } from './dataspace-surface.js';

/** Assertion ids with tricky characters never reach another surface or namespace. */
export const dataspaceIsolationProperty = isolationProperty<DataspaceSurface<unknown>>({
  kind: 'dataspace',
  requirement: 'DSP-021',
  define: (registry, cls, id) => defineDataspace(registry, cls, id),
  write: async (rt, s, key) =>
    void (await (await rt.use(s).openSession({ owner: 'o', leaseMs: LONG })).assert(key, key)),
  visible: async (rt, s, key) => (await rt.use(s).get(key)) !== null,
});
