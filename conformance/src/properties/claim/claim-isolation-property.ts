import type { ClaimSurface } from '@stateproof/core';
import { isolationProperty } from '../common/isolation-property.js';
import { defineClaim } from './claim-surface.js';

/** Claim keys with tricky characters never reach another surface or namespace. */
export const claimIsolationProperty = isolationProperty<ClaimSurface<unknown>>({
  kind: 'claim',
  requirement: 'CLM-016',
  define: (registry, cls, id) => defineClaim(registry, cls, id),
  write: async (rt, s, key) => void (await rt.use(s).acquire(key, { owner: 'w', leaseMs: 3_600_000 })),
  visible: async (rt, s, key) => (await rt.use(s).get(key)) !== null,
});
