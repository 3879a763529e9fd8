import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { bindingOf, queue, type QueueSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { envelopeCaseArb, expectEnvelopeVerdict, foreignEncoded, scopeOption } from '../common/envelope-case.js';

/** Payloads are stored verbatim, and a payload whose envelope is foreign is refused before decoding. */
export const queueEnvelopeProperty: PropertySpec = {
  name: 'queue/envelope',
  kind: 'queue',
  requirements: ['QUE-032'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(envelopeCaseArb, fc.string({ maxLength: 20 }), async (c, text) => {
      const fixture = await env.fixtures.open((registry) => [
        queue('conformance.envelope', {
          durability: env.cls,
          payload: Type.Unknown(),
          ...scopeOption(c),
          registry,
        }) as QueueSurface<unknown, unknown>,
      ]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const { id } = await h.enqueue(text, { queue: 'good' });
        const store = await fixture.adapter.openQueue!(bindingOf(fixture.surfaces[0], fixture.rt.scope));
        const stored = (await store.get(id))?.payload;
        expectModel(
          stored?.endsWith('\n' + JSON.stringify(text)) === true,
          ['QUE-032'],
          () => `the adapter returned ${show(stored)} for the payload it was given`,
        );
        await store.enqueue({ queue: 'foreign', payload: foreignEncoded(stored ?? '', c, JSON.stringify(text)) });
        const got = await outcome(() => h.claim({ worker: 'w', queues: ['foreign'] }));
        expectEnvelopeVerdict(c, got, ['QUE-032'], 'claiming a task with a payload');
      } finally {
        await fixture.close();
      }
    }),
};
