import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { bindingOf, claim, type ClaimSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { envelopeCaseArb, expectEnvelopeVerdict, foreignEncoded, scopeOption } from '../common/envelope-case.js';

/** Results are stored verbatim, and a result whose envelope is foreign is refused before decoding. */
export const claimEnvelopeProperty: PropertySpec = {
  name: 'claim/envelope',
  kind: 'claim',
  requirements: ['CLM-015'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(envelopeCaseArb, fc.string({ maxLength: 20 }), async (c, text) => {
      const fixture = await env.fixtures.open((registry) => [
        claim('conformance.envelope', {
          durability: env.cls,
          result: Type.Unknown(),
          ...scopeOption(c),
          registry,
        }) as ClaimSurface<unknown>,
      ]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const a = await h.acquire('good', { owner: 'w', leaseMs: 3_600_000 });
        await h.complete('good', (a as { token: number }).token, text);
        const store = await fixture.adapter.openClaim!(bindingOf(fixture.surfaces[0], fixture.rt.scope));
        const stored = (await store.get('good'))?.result;
        expectModel(
          stored?.endsWith('\n' + JSON.stringify(text)) === true,
          ['CLM-015'],
          () => `the adapter returned ${show(stored)} for the result it was given`,
        );
        const b = await store.acquire('foreign', 'w', 3_600_000);
        await store.complete(
          'foreign',
          (b as { token: number }).token,
          foreignEncoded(stored ?? '', c, JSON.stringify(text)),
        );
        const got = await outcome(() => h.get('foreign'));
        expectEnvelopeVerdict(c, got, ['CLM-015'], 'reading a result');
      } finally {
        await fixture.close();
      }
    }),
};
