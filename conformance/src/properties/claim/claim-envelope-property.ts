import fc from 'fast-check';
import { bindingOf } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { defineClaim } from './claim-surface.js';

/** Results are stored verbatim, and a result whose envelope is foreign is refused before decoding. */
export const claimEnvelopeProperty: PropertySpec = {
  name: 'claim/envelope',
  kind: 'claim',
  requirements: ['CLM-015'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(
      fc.constantFrom('app', 'kind', 'surface', 'codec', 'schemaVersion'),
      fc.string({ maxLength: 20 }),
      async (field, text) => {
        const fixture = await env.fixtures.open((registry) => [defineClaim(registry, env.cls, 'conformance.envelope')]);
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
          const header = JSON.parse((stored ?? '').split('\n')[0] as string) as Record<string, unknown>;
          const b = await store.acquire('foreign', 'w', 3_600_000);
          await store.complete(
            'foreign',
            (b as { token: number }).token,
            `${JSON.stringify({ ...header, [field]: field === 'schemaVersion' ? 99 : `other-${field}` })}\n${JSON.stringify(text)}`,
          );
          const got = await outcome(() => h.get('foreign'));
          expectModel(
            !got.ok && got.code === 'STATEPROOF_ENVELOPE_MISMATCH',
            ['CLM-015'],
            () => `reading a result whose ${field} is foreign gave ${describeOutcome(got)}`,
          );
        } finally {
          await fixture.close();
        }
      },
    ),
};
