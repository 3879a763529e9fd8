import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { claim, type ClaimSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { ExpiryWindow } from '../common/expiry-window.js';

/**
 * With a server clock (claim/expiry-tolerance covers acquisition and takeover): a renewal moves the
 * lease to the renewal's instant plus the new lease, so the claim is still held past its first
 * expiry and taken over only after the renewed one; a lease that expired cannot be renewed;
 * timestamps stay ordered and `get` reports them. Both edges within the declared tolerance.
 */
export const claimRenewToleranceProperty: PropertySpec = {
  name: 'claim/renew-tolerance',
  kind: 'claim',
  requirements: ['CLM-006', 'CLM-002', 'CLM-004', 'CLM-007', 'CLM-010', 'CLM-011'],
  applies: (env) =>
    env.exactTime ? 'the adapter takes an injectable clock; claim/model checks renewals exactly' : true,
  weight: 0.1,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom(60, 100), async (leaseMs) => {
      const fixture = await env.fixtures.open((registry) => [
        claim('conformance.claim-renew', {
          durability: env.cls,
          result: Type.Unknown(),
          registry,
        }) as ClaimSurface<unknown>,
      ]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const other = (await fixture.peer()).use(fixture.surfaces[0]);
        const { value: first, window: lease } = await ExpiryWindow.around(fixture.time, leaseMs, () =>
          h.acquire('k', { owner: 'a', leaseMs }),
        );
        expectModel(
          first.status === 'acquired' && lease.admits(first.expiresAt),
          ['CLM-002'],
          () =>
            `acquire of a free key gave ${show(first)}, expected a lease ending in ${lease.earliest}..${lease.latest}`,
        );
        const token = (first as { token: number }).token;
        const info = await h.get('k');
        expectModel(
          info?.acquiredAt === info?.renewedAt && info?.expiresAt === (first as { expiresAt: number }).expiresAt,
          ['CLM-010', 'CLM-011'],
          () => `right after the acquisition get reports ${show(info)}`,
        );
        // Renew halfway with a longer lease: the claim must outlive the first expiry by more than the tolerance.
        await fixture.time.advance(Math.floor(leaseMs / 2));
        const longer = 2 * leaseMs + 3 * fixture.time.slackMs;
        const { value: renewed, window: renewedLease } = await ExpiryWindow.around(fixture.time, longer, () =>
          outcome(() => h.renew('k', token, { leaseMs: longer })),
        );
        if (!renewed.ok) {
          // Only a stall past the first lease may make the renewal fail, and then with LEASE_LOST.
          expectModel(
            renewed.code === 'STATEPROOF_LEASE_LOST' && fixture.time.now() > lease.earliest - fixture.time.slackMs,
            ['CLM-006'],
            () => `renew within the lease gave ${describeOutcome(renewed)}`,
          );
          return;
        }
        expectModel(
          renewedLease.admits(renewed.value.expiresAt),
          ['CLM-006'],
          () =>
            `renew for ${longer} ms set the lease to ${renewed.value.expiresAt}, outside ${renewedLease.earliest}..${renewedLease.latest}`,
        );
        await lease.pass();
        const held = await renewedLease.early(() => other.acquire('k', { owner: 'b', leaseMs }));
        if (held.before)
          expectModel(
            held.value.status === 'held',
            ['CLM-006', 'CLM-002'],
            () =>
              `past the first expiry but within the renewed lease, another owner's acquire gave ${show(held.value)}`,
          );
        const stamps = await h.get('k');
        expectModel(
          stamps !== null &&
            stamps.acquiredAt !== null &&
            stamps.renewedAt !== null &&
            stamps.acquiredAt <= stamps.renewedAt &&
            stamps.expiresAt === renewed.value.expiresAt,
          ['CLM-010', 'CLM-011'],
          () => `after a renewal get reports ${show(stamps)}`,
        );
        await renewedLease.pass();
        const late = await outcome(() => h.renew('k', token, { leaseMs }));
        expectModel(
          !late.ok && late.code === 'STATEPROOF_LEASE_LOST',
          ['CLM-007'],
          () => `renew after the renewed lease expired gave ${describeOutcome(late)}`,
        );
        const taken = await other.acquire('k', { owner: 'b', leaseMs });
        expectModel(
          taken.status === 'acquired' && taken.takeover && taken.token > token,
          ['CLM-004'],
          () => `acquire after the renewed lease expired gave ${show(taken)}`,
        );
        const after = await other.get('k');
        expectModel(
          after?.holder === 'b' && after.takeovers === 1 && after.acquiredAt === after.renewedAt,
          ['CLM-011', 'CLM-010'],
          () => `after the takeover get reports ${show(after)}`,
        );
      } finally {
        await fixture.close();
      }
    }),
};
