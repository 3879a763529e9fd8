import { claim, type ClaimSurface } from '@stateproof/core';
import { limitsProperty } from '../common/limits-property.js';

/** Malformed keys and results are refused; the claim stays held and unchanged. */
export const claimLimitsProperty = limitsProperty<ClaimSurface<unknown>>({
  kind: 'claim',
  name: 'complete',
  requirements: { invalidKey: 'CLM-013', notIJson: 'CLM-014', tooLarge: 'CLM-014', schema: 'CLM-014' },
  define: (registry, cls, schema, maxValueBytes) =>
    claim('conformance.limits', { durability: cls, result: schema, maxValueBytes, registry }) as ClaimSurface<unknown>,
  setup: async (rt, s) => void (await rt.use(s).acquire('k', { owner: 'w', leaseMs: 3_600_000 })),
  write: async (rt, s, key, value) => rt.use(s).complete(key, 1, value),
  state: async (rt, s) => rt.use(s).get('k'),
});
