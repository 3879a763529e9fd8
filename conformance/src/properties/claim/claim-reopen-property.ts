import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { claim, type ClaimSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { RESTART_SAFE_CLASSES } from '../common/restart-classes.js';

type Step = 'acquire' | 'renew' | 'complete' | 'release' | 'abandon';
const opArb = fc.record({
  step: fc.constantFrom<Step>('acquire', 'acquire', 'renew', 'complete', 'release', 'abandon'),
  key: fc.constantFrom('k1', 'k:2', 'é'),
  owner: fc.constantFrom('w1', 'w2'),
});
const LEASE = 3_600_000;

/**
 * Claims survive a clean restart as they were acknowledged: a held lease still excludes others, a
 * completed claim keeps its result, tokens keep increasing; with an injectable clock, the lease of
 * the holder that went away expires and the claim is taken over.
 */
export const claimReopenProperty: PropertySpec = {
  name: 'claim/reopen',
  kind: 'claim',
  requirements: ['CLM-019'],
  classes: RESTART_SAFE_CLASSES,
  weight: 0.5,
  property: (env) =>
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 20 }), async (ops) => {
      const fixture = await env.fixtures.open((registry) => [
        claim('conformance.reopen', { durability: env.cls, result: Type.Unknown(), registry }) as ClaimSurface<unknown>,
      ]);
      try {
        const [surface] = fixture.surfaces;
        const before = fixture.rt.use(surface);
        const tokens = new Map<string, number>();
        for (const [i, o] of ops.entries()) {
          const token = tokens.get(o.key) ?? 1;
          // Refusals (held, lease lost, terminal) are the model property's business; here only what was acknowledged matters.
          if (o.step === 'acquire') {
            const r = await before.acquire(o.key, { owner: o.owner, leaseMs: LEASE });
            if (r.status === 'acquired') tokens.set(o.key, r.token);
          } else if (o.step === 'renew') await outcome(() => before.renew(o.key, token, { leaseMs: LEASE }));
          else if (o.step === 'complete') await outcome(() => before.complete(o.key, token, { step: i }));
          else if (o.step === 'release') await outcome(() => before.release(o.key, token));
          else await outcome(() => before.abandon(o.key, token, `gave up at ${i}`));
        }
        const keys = [...new Set(ops.map((o) => o.key))];
        const snapshot = new Map(await Promise.all(keys.map(async (k) => [k, await before.get(k)] as const)));
        const after = (await fixture.restart()).use(surface);
        for (const [key, want] of snapshot) {
          const got = await after.get(key);
          expectModel(
            isDeepStrictEqual(got, want),
            ['CLM-019'],
            () => `after a restart get(${show(key)}) gave ${show(got)}; before it the claim was ${show(want)}`,
          );
          if (want === null) continue;
          const r = await after.acquire(key, { owner: 'newcomer', leaseMs: LEASE });
          const expected =
            want.state === 'held'
              ? r.status === 'held' && r.holder === want.holder
              : want.state === 'completed'
                ? r.status === 'completed' && isDeepStrictEqual(r.result, want.result) && r.holder === want.holder
                : want.state === 'abandoned'
                  ? r.status === 'abandoned'
                  : r.status === 'acquired' && r.token > want.token;
          expectModel(
            expected,
            ['CLM-019'],
            () => `after a restart acquire(${show(key)}) by a newcomer gave ${show(r)}; the claim was ${show(want)}`,
          );
        }
        if (!env.exactTime) return;
        // The holders went away with the old process: once their leases end, a newcomer takes over with a greater token.
        await fixture.time.advance(LEASE);
        for (const [key, want] of snapshot) {
          if (want?.state !== 'held') continue;
          const t = await after.acquire(key, { owner: 'newcomer', leaseMs: LEASE });
          expectModel(
            t.status === 'acquired' && t.takeover && t.token > want.token,
            ['CLM-019', 'CLM-004'],
            () =>
              `after a restart and the lease's end, acquire(${show(key)}) gave ${show(t)}; a takeover with a token above ${want.token} was due`,
          );
        }
      } finally {
        await fixture.close();
      }
    }),
};
