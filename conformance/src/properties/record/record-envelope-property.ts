import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { bindingOf, record, type RecordSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { outcome, describeOutcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';

/**
 * The adapter stores values verbatim and the envelope is checked before decoding: a value whose
 * envelope names another app, kind, surface, codec or schema version is refused on read with
 * STATEPROOF_ENVELOPE_MISMATCH.
 */
export const recordEnvelopeProperty: PropertySpec = {
  name: 'record/envelope',
  kind: 'record',
  requirements: ['REC-028'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(
      fc.constantFrom('app', 'kind', 'surface', 'codec', 'schemaVersion'),
      fc.string({ maxLength: 20 }),
      async (field, text) => {
        const fixture = await env.fixtures.open((registry) => [
          record('conformance.envelope', {
            durability: env.cls,
            value: Type.String(),
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
          const header = JSON.parse((stored as string).split('\n')[0] as string) as Record<string, unknown>;
          const foreign = { ...header, [field]: field === 'schemaVersion' ? 99 : `other-${field}` };
          await store.put('foreign', `${JSON.stringify(foreign)}\n${JSON.stringify(text)}`);
          const got = await outcome(() => h.get('foreign'));
          expectModel(
            !got.ok && got.code === 'STATEPROOF_ENVELOPE_MISMATCH',
            ['REC-028'],
            () => `reading a value whose ${field} is foreign gave ${describeOutcome(got)}`,
          );
        } finally {
          await fixture.close();
        }
      },
    ),
};
