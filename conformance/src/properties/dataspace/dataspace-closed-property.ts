import type { DataspaceHandle, DataspaceSurface } from '@stateproof/core';
import { closedProperty } from '../common/closed-property.js';
import { defineDataspace } from './dataspace-surface.js';

/** After close, every dataspace operation fails with STATEPROOF_CLOSED. */
export const dataspaceClosedProperty = closedProperty<DataspaceSurface<unknown>>({
  kind: 'dataspace',
  requirement: 'DSP-022',
  define: (registry, cls) => defineDataspace(registry, cls),
  operations: {
    openSession: (h) => (h as DataspaceHandle<unknown>).openSession({ owner: 'o' }),
    get: (h) => (h as DataspaceHandle<unknown>).get('x'),
    list: (h) => (h as DataspaceHandle<unknown>).list(),
  },
});
