import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { bindingOf, record, type RecordSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { envelopeCaseArb, expectEnvelopeVerdict, foreignEncoded, scopeOption } from '../common/envelope-case.js';

/**
 * The adapter stores values verbatim and the envelope is checked before decoding: a value whose
 * envelope names another app, kind, surface, codec or schema version (and, on a deployment-scoped
 * surface, another deployment or fingerprint) is refused on read with STATEPROOF_ENVELOPE_MISMATCH.
 */
export const recordEnvelopeProperty: PropertySpec = {
  name: 'record/envelope',
  kind: 'record',
  requirements: ['REC-028'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(envelopeCaseArb, fc.string({ maxLength: 20 }), async (c, text) => {
      const fixture = await env.fixtures.open((registry) => [
        record('conformance.envelope', {
          durability: env.cls,
          value: Type.String(),
          ...scopeOption(c),
          registry,
        }) as RecordSurface<string>,
      ]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        await h.put('good', text);
        const store = await fixture.adapter.openRecord!(bindingOf(fixture.surfaces[0], fixture.rt.scope));
        const stored = (await store.get('good'))?.value;
        expectModel(
          typeof stored === 'string' && stored.endsWith('\n' + JSON.stringify(text)),
          ['REC-028'],
          () => `the adapter returned ${show(stored)} for the value it was given`,
        );
        await store.put('foreign', foreignEncoded(stored as string, c, JSON.stringify(text)));
        const got = await outcome(() => h.get('foreign'));
        expectEnvelopeVerdict(c, got, ['REC-028'], 'reading a value');
      } finally {
        await fixture.close();
      }
    }),
};
