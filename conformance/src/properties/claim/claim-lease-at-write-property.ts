import fc from 'fast-check';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { armPastLease, expectDelayed, writeDelayDeclared } from '../common/write-delay-check.js';
import { defineClaim } from './claim-surface.js';

type HolderWrite = 'renew' | 'complete' | 'release' | 'abandon';

/**
 * A lease is judged when the write takes effect: a holder's renew, complete, release or abandon
 * that began under a live lease but waited inside the write (the target's write delay: the
 * injected clock moved on inside the store call, or a sleep inside the transaction on a server
 * clock) until the lease had expired must fail with LEASE_LOST and change nothing, so that another
 * owner takes the claim over. An adapter that read the time before its lock wait accepts it.
 */
export const claimLeaseAtWriteProperty: PropertySpec = {
  name: 'claim/lease-at-write',
  kind: 'claim',
  requirements: ['CLM-007'],
  applies: writeDelayDeclared,
  weight: 0.2,
  property: (env) =>
    fc.asyncProperty(
      fc.constantFrom<HolderWrite>('renew', 'complete', 'release', 'abandon'),
      fc.constantFrom(0, 1, 7),
      async (op, extraMs) => {
        const leaseMs = env.exactTime ? 1_000 : 150;
        const fixture = await env.fixtures.open(
          (registry) => [defineClaim(registry, env.cls, 'conformance.claim-at-write')],
          { writeDelay: true },
        );
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          const other = (await fixture.peer()).use(fixture.surfaces[0]);
          const first = await h.acquire('k', { owner: 'a', leaseMs });
          expectModel(first.status === 'acquired', ['CLM-007'], () => `acquire of a free key gave ${show(first)}`);
          const write = { kind: 'claim', operation: op } as const;
          armPastLease(fixture, write, { leaseMs, expiresAt: first.expiresAt }, extraMs);
          const late = await outcome((): Promise<unknown> => {
            if (op === 'renew') return h.renew('k', first.token, { leaseMs });
            if (op === 'complete') return h.complete('k', first.token, 'late');
            if (op === 'release') return h.release('k', first.token);
            return h.abandon('k', first.token, 'late');
          });
          expectDelayed(fixture, write, ['CLM-007']);
          expectModel(
            !late.ok && late.code === 'STATEPROOF_LEASE_LOST',
            ['CLM-007'],
            () =>
              `${op} that began within the lease but judged it after the lease expired (the write was delayed past it) gave ${describeOutcome(late)}`,
          );
          const after = await other.get('k');
          expectModel(
            after?.state === 'held' &&
              after.token === first.token &&
              after.holder === 'a' &&
              after.expiresAt === first.expiresAt,
            ['CLM-007'],
            () => `the refused ${op} changed the claim: ${show(after)}`,
          );
          const taken = await other.acquire('k', { owner: 'b', leaseMs });
          expectModel(
            taken.status === 'acquired' && taken.takeover && taken.token > first.token,
            ['CLM-007'],
            () => `after the refused ${op}, another owner's acquire of the expired claim gave ${show(taken)}`,
          );
        } finally {
          await fixture.close();
        }
      },
    ),
};
