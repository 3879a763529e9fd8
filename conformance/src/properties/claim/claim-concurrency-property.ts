import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { claim, type ClaimHandle, type ClaimOutcome, type ClaimSurface } from '@stateproof/core';
import type { HistoryRecorder } from '../../linearizability/history-recorder.js';
import { claimLeaseModel, type ClaimAnswer, type ClaimCall } from '../../linearizability/models/claim-lease-model.js';
import type { Outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { ConcurrencyTally, recordCall, runClientsLinearizable, yieldTurns } from '../common/concurrency-check.js';

/** Long enough that no lease expires during a run, on any clock. */
const LEASE_MS = 120_000;

/** One step of a client: wait a few turns, then call. Writes use the client's latest token for the key, or an older one. */
interface Step {
  readonly pause: number;
  readonly key: string;
  readonly op: 'acquire' | 'renew' | 'complete' | 'release' | 'release-stale';
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  pause: fc.constantFrom(0, 0, 0, 1, 2),
  key: fc.constantFrom('k1', 'k2', 'k3'),
  // Acquisitions race; releases hand keys over; completion ends a key for good, so it is rarer.
  op: fc.constantFrom<Step['op']>(
    'acquire',
    'acquire',
    'acquire',
    'renew',
    'complete',
    'release',
    'release',
    'release-stale',
  ),
});

function answer(o: Outcome<unknown>, ok: (value: never) => ClaimAnswer): ClaimAnswer {
  if (o.ok) return ok(o.value as never);
  return o.code === 'STATEPROOF_LEASE_LOST' ? { kind: 'lease-lost' } : { kind: 'error', code: o.code };
}

function acquired(r: ClaimOutcome<string>): ClaimAnswer {
  switch (r.status) {
    case 'acquired':
      return { kind: 'acquired', token: r.token, takeover: r.takeover, expiresAt: r.expiresAt };
    case 'held':
      return { kind: 'held', holder: r.holder, expiresAt: r.expiresAt };
    case 'completed':
      return { kind: 'completed', holder: r.holder, result: r.result };
    case 'abandoned':
      return { kind: 'abandoned', holder: r.holder };
  }
}

/** Runs one client's steps on its own runtime as owner `c<n>`, recording every call. */
async function client(
  c: number,
  steps: readonly Step[],
  h: ClaimHandle<string>,
  recorder: HistoryRecorder<ClaimCall, ClaimAnswer>,
): Promise<void> {
  const owner = `c${c}`;
  const tokens = new Map<string, number[]>(); // every token this client was granted, per key
  for (const [i, step] of steps.entries()) {
    await yieldTurns(step.pause);
    const { key } = step;
    const mine = tokens.get(key) ?? [];
    // The latest token, or an older one; a client that never held the key guesses 1 (stale or forged).
    const token = (step.op === 'release-stale' ? mine[mine.length - 2] : mine[mine.length - 1]) ?? 1;
    switch (step.op) {
      case 'acquire': {
        const o = await recordCall(
          recorder,
          c,
          { op: 'acquire', key, owner },
          () => h.acquire(key, { owner, leaseMs: LEASE_MS }),
          (o) => answer(o, acquired),
        );
        if (o?.ok && o.value.status === 'acquired') tokens.set(key, [...mine, o.value.token]);
        break;
      }
      case 'renew':
        await recordCall(
          recorder,
          c,
          { op: 'renew', key, token },
          () => h.renew(key, token, { leaseMs: LEASE_MS }),
          (o) => answer(o, (r: { expiresAt: number }) => ({ kind: 'renewed', expiresAt: r.expiresAt })),
        );
        break;
      case 'complete': {
        const result = `${owner}.${i}`;
        await recordCall(
          recorder,
          c,
          { op: 'complete', key, token, result },
          () => h.complete(key, token, result),
          (o) => answer(o, () => ({ kind: 'done' })),
        );
        break;
      }
      case 'release':
      case 'release-stale':
        await recordCall(
          recorder,
          c,
          { op: 'release', key, token },
          () => h.release(key, token),
          (o) => answer(o, () => ({ kind: 'done' })),
        );
        break;
    }
  }
}

/**
 * Two to four clients, each on its own runtime and adapter instance over one namespace, race to
 * acquire, renew, complete and release three keys with their own current and stale tokens, under
 * leases that never run out. The timed history must be linearizable against the claim model per
 * key: at most one holder, fencing tokens strictly increasing, no takeover, only the holder's token
 * acting, and a completed result frozen.
 */
export const claimConcurrencyProperty: PropertySpec = {
  name: 'claim/concurrency',
  kind: 'claim',
  requirements: ['CLM-001', 'CLM-002', 'CLM-003', 'CLM-004', 'CLM-005', 'CLM-006', 'CLM-007', 'CLM-008'],
  concurrency: true,
  property: (env) => {
    const tally = new ConcurrencyTally(env);
    return fc.asyncProperty(
      fc.array(fc.array(stepArb, { minLength: 1, maxLength: 12 }), { minLength: 2, maxLength: 4 }),
      async (plan) => {
        const fixture = await env.fixtures.open((registry) => [
          claim('conformance.claim-concurrency', {
            durability: env.cls,
            result: Type.String(),
            registry,
          }) as ClaimSurface<string>,
        ]);
        try {
          const [surface] = fixture.surfaces;
          await runClientsLinearizable(
            fixture,
            plan,
            (c, steps, runtime, recorder: HistoryRecorder<ClaimCall, ClaimAnswer>) =>
              client(c, steps, runtime.use(surface), recorder),
            { model: claimLeaseModel, requirements: claimConcurrencyProperty.requirements, tally },
          );
        } finally {
          await fixture.close();
        }
      },
    );
  },
};
