import fc from 'fast-check';
import { bindingOf } from '@stateproof/core';
import { expectModel } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { defineChannel } from './channel-fixture.js';

/** Without the `patterns` feature, a pattern subscription is refused with STATEPROOF_UNSUPPORTED, by the adapter and through the runtime. */
export const channelPatternsUnclaimedProperty: PropertySpec = {
  name: 'channel/patterns-unclaimed',
  kind: 'channel',
  requirements: ['CHN-005'],
  unclaimed: ['patterns'],
  weight: 0.05,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom('t*', '?', 'a\\*'), async (pattern) => {
      const fixture = await env.fixtures.open((registry) => [
        defineChannel(registry, env.cls, 'conformance.patterns-unclaimed'),
      ]);
      try {
        const store = await fixture.adapter.openChannel!(bindingOf(fixture.surfaces[0], fixture.rt.scope));
        const direct = await outcome(() => store.subscribe({ pattern }));
        expectModel(
          !direct.ok && direct.code === 'STATEPROOF_UNSUPPORTED',
          ['CHN-005'],
          () => `a pattern subscription on an adapter that does not claim patterns gave ${describeOutcome(direct)}`,
        );
        const via = await outcome(() => fixture.rt.use(fixture.surfaces[0]).subscribe({ pattern }));
        expectModel(
          !via.ok && via.code === 'STATEPROOF_UNSUPPORTED',
          ['CHN-005'],
          () => `the runtime accepted a pattern the adapter does not claim: ${describeOutcome(via)}`,
        );
      } finally {
        await fixture.close();
      }
    }),
};
