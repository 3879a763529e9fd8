import fc from 'fast-check';
import { expectModel } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { defineDataspace } from './dataspace-surface.js';

/** Without the `glob` feature, a glob filter is refused with STATEPROOF_UNSUPPORTED. */
export const dataspaceGlobUnclaimedProperty: PropertySpec = {
  name: 'dataspace/glob-unclaimed',
  kind: 'dataspace',
  requirements: ['DSP-013'],
  unclaimed: ['glob'],
  weight: 0.05,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom('a*', '?'), async (pattern) => {
      const fixture = await env.fixtures.open((registry) => [defineDataspace(registry, env.cls, 'conformance.glob')]);
      try {
        const got = await outcome(() => fixture.rt.use(fixture.surfaces[0]).list({ type: 'glob', pattern }));
        expectModel(
          !got.ok && got.code === 'STATEPROOF_UNSUPPORTED',
          ['DSP-013'],
          () => `a glob filter on an adapter without glob gave ${describeOutcome(got)}`,
        );
      } finally {
        await fixture.close();
      }
    }),
};
