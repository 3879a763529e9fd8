import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { claim, type ClaimSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';

/** With a server clock: a lease is held before it expires and taken over after it, within the declared tolerance. */
export const claimExpiryToleranceProperty: PropertySpec = {
  name: 'claim/expiry-tolerance',
  kind: 'claim',
  requirements: ['CLM-002', 'CLM-004', 'CLM-007'],
  applies: (env) => (env.exactTime ? 'the adapter takes an injectable clock; claim/model checks expiry exactly' : true),
  weight: 0.1,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom(200, 400), async (leaseMs) => {
      const fixture = await env.fixtures.open((registry) => [
        claim('conformance.claim-expiry', {
          durability: env.cls,
          result: Type.Unknown(),
          registry,
        }) as ClaimSurface<unknown>,
      ]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const first = await h.acquire('k', { owner: 'a', leaseMs });
        expectModel(first.status === 'acquired', ['CLM-001'], () => `first acquire gave ${show(first)}`);
        const early = await h.acquire('k', { owner: 'b', leaseMs });
        expectModel(early.status === 'held', ['CLM-002'], () => `acquire right after another gave ${show(early)}`);
        await fixture.time.advance(leaseMs + fixture.time.slackMs);
        const late = await h.acquire('k', { owner: 'b', leaseMs });
        expectModel(
          late.status === 'acquired' && late.takeover,
          ['CLM-004'],
          () => `acquire after the lease plus tolerance gave ${show(late)}`,
        );
        const stale = await outcome(() => h.complete('k', (first as { token: number }).token, 1));
        expectModel(
          !stale.ok && stale.code === 'STATEPROOF_LEASE_LOST',
          ['CLM-007'],
          () => `complete with the taken-over token gave ${show(stale)}`,
        );
      } finally {
        await fixture.close();
      }
    }),
};
