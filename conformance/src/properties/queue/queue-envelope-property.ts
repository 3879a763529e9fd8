import fc from 'fast-check';
import { bindingOf } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { defineQueue } from './queue-surface.js';

/** Payloads are stored verbatim, and a payload whose envelope is foreign is refused before decoding. */
export const queueEnvelopeProperty: PropertySpec = {
  name: 'queue/envelope',
  kind: 'queue',
  requirements: ['QUE-032'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(
      fc.constantFrom('app', 'kind', 'surface', 'codec', 'schemaVersion'),
      fc.string({ maxLength: 20 }),
      async (field, text) => {
        const fixture = await env.fixtures.open((registry) => [defineQueue(registry, env.cls, 'conformance.envelope')]);
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
          const header = JSON.parse((stored ?? '').split('\n')[0] as string) as Record<string, unknown>;
          await store.enqueue({
            queue: 'foreign',
            payload: `${JSON.stringify({ ...header, [field]: field === 'schemaVersion' ? 99 : `other-${field}` })}\n${JSON.stringify(text)}`,
          });
          const got = await outcome(() => h.claim({ worker: 'w', queues: ['foreign'] }));
          expectModel(
            !got.ok && got.code === 'STATEPROOF_ENVELOPE_MISMATCH',
            ['QUE-032'],
            () => `claiming a task whose payload ${field} is foreign gave ${describeOutcome(got)}`,
          );
        } finally {
          await fixture.close();
        }
      },
    ),
};
