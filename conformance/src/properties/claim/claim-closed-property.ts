import type { ClaimHandle, ClaimSurface } from '@stateproof/core';
import { closedProperty } from '../common/closed-property.js';
import { defineClaim } from './claim-surface.js';

/** After close, every claim operation fails with STATEPROOF_CLOSED. */
export const claimClosedProperty = closedProperty<ClaimSurface<unknown>>({
  kind: 'claim',
  requirement: 'CLM-017',
  define: (registry, cls) => defineClaim(registry, cls),
  operations: {
    acquire: (h) => (h as ClaimHandle<unknown>).acquire('k', { owner: 'w' }),
    get: (h) => (h as ClaimHandle<unknown>).get('k'),
    complete: (h) => (h as ClaimHandle<unknown>).complete('k', 1, null),
  },
});
