import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { bindingOf, record, type RecordSurface } from '@stateproof/core';
import { expectModel } from '../../models/model-mismatch.js';
import { outcome, describeOutcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';

/** An adapter that does not claim TTLs must refuse one with STATEPROOF_UNSUPPORTED rather than ignore it. */
export const recordTtlUnclaimedProperty: PropertySpec = {
  name: 'record/ttl-unclaimed',
  kind: 'record',
  requirements: ['REC-021'],
  unclaimed: ['ttl'],
  weight: 0.05,
  property: (env) =>
    fc.asyncProperty(fc.integer({ min: 1, max: 10_000 }), async (ttlMs) => {
      const fixture = await env.fixtures.open((registry) => [
        record('conformance.ttl-unclaimed', {
          durability: env.cls,
          value: Type.String(),
          registry,
        }) as RecordSurface<string>,
      ]);
      try {
        const store = await fixture.adapter.openRecord!(bindingOf(fixture.surfaces[0], fixture.rt.scope));
        const got = await outcome(() => store.put('k', 'x', { ttlMs }));
        expectModel(
          !got.ok && got.code === 'STATEPROOF_UNSUPPORTED',
          ['REC-021'],
          () => `put with ttlMs on an adapter that does not claim ttl gave ${describeOutcome(got)}`,
        );
        const via = await outcome(() => fixture.rt.use(fixture.surfaces[0]).put('k', 'x', { ttlMs }));
        expectModel(
          !via.ok && via.code === 'STATEPROOF_UNSUPPORTED',
          ['REC-021'],
          () => `the runtime accepted a TTL the adapter does not claim: ${describeOutcome(via)}`,
        );
      } finally {
        await fixture.close();
      }
    }),
};
