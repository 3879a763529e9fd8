import fc from 'fast-check';
import { bindingOf } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { defineLog } from './log-surface.js';

/** Entries are stored verbatim, and an entry whose envelope is foreign is refused before decoding. */
export const logEnvelopeProperty: PropertySpec = {
  name: 'log/envelope',
  kind: 'log',
  requirements: ['LOG-026'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(
      fc.constantFrom('app', 'kind', 'surface', 'codec', 'schemaVersion'),
      fc.string({ maxLength: 20 }),
      async (field, text) => {
        const fixture = await env.fixtures.open((registry) => [defineLog(registry, env.cls, 'conformance.envelope')]);
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          await h.append('s', text);
          const store = await fixture.adapter.openLog!(bindingOf(fixture.surfaces[0], fixture.rt.scope));
          const [stored] = await store.read('s', { after: 0, limit: 1 });
          expectModel(
            stored?.value.endsWith('\n' + JSON.stringify(text)) === true,
            ['LOG-026'],
            () => `the adapter returned ${show(stored?.value)} for the value it was given`,
          );
          const header = JSON.parse((stored?.value ?? '').split('\n')[0] as string) as Record<string, unknown>;
          await store.append('s', [
            `${JSON.stringify({ ...header, [field]: field === 'schemaVersion' ? 99 : `other-${field}` })}\n${JSON.stringify(text)}`,
          ]);
          const got = await outcome(() => h.read('s', { after: 1 }));
          expectModel(
            !got.ok && got.code === 'STATEPROOF_ENVELOPE_MISMATCH',
            ['LOG-026'],
            () => `reading an entry whose ${field} is foreign gave ${describeOutcome(got)}`,
          );
        } finally {
          await fixture.close();
        }
      },
    ),
};
