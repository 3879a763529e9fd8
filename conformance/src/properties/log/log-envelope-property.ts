import fc from 'fast-check';
import { bindingOf } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { envelopeCaseArb, expectEnvelopeVerdict, foreignEncoded, scopeOption } from '../common/envelope-case.js';
import { defineLog } from './log-surface.js';

/** Entries are stored verbatim, and an entry whose envelope is foreign is refused before decoding. */
export const logEnvelopeProperty: PropertySpec = {
  name: 'log/envelope',
  kind: 'log',
  requirements: ['LOG-026'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(envelopeCaseArb, fc.string({ maxLength: 20 }), async (c, text) => {
      const fixture = await env.fixtures.open((registry) => [
        defineLog(registry, env.cls, 'conformance.envelope', scopeOption(c)),
      ]);
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
        await store.append('s', [foreignEncoded(stored?.value ?? '', c, JSON.stringify(text))]);
        const got = await outcome(() => h.read('s', { after: 1 }));
        expectEnvelopeVerdict(c, got, ['LOG-026'], 'reading an entry');
      } finally {
        await fixture.close();
      }
    }),
};
