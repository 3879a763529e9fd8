import fc from 'fast-check';
import { ChannelModel, type Selector } from '../../models/channel-model.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { defineChannel, replicas } from './channel-fixture.js';
import { publisher, settle, watch } from './channel-reading.js';

type Burst = ReadonlyArray<{ readonly client: number; readonly topic: string }>;

/**
 * A subscriber with a small buffer that does not read while two replicas publish a burst loses what
 * does not fit, and is told exactly: every message it misses is announced by `lagged` events before
 * the next message it receives, the counts add up to what it lost (never more, never a message of a
 * topic it does not select), and nothing comes twice or out of its publisher's order. Publishers are
 * never held up, and a subscriber with room on another replica receives every message.
 */
export const channelLagProperty: PropertySpec = {
  name: 'channel/lag',
  kind: 'channel',
  requirements: ['CHN-006', 'CHN-001', 'CHN-002', 'CHN-004'],
  property: (env) => {
    const patterns = env.capabilities.kinds.channel?.features.patterns === true;
    const burst: fc.Arbitrary<Burst> = fc.array(
      fc.record({ client: fc.integer({ min: 0, max: 1 }), topic: fc.constantFrom('t', 't', 't', 't2', 'u') }),
      { minLength: 1, maxLength: 24 },
    );
    const selector: fc.Arbitrary<Selector> = patterns
      ? fc.constantFrom<Selector>({ topic: 't' }, { pattern: 't*' })
      : fc.constant<Selector>({ topic: 't' });
    return fc.asyncProperty(
      fc.integer({ min: 2, max: 5 }),
      selector,
      fc.integer({ min: 0, max: 2 }),
      fc.integer({ min: 0, max: 2 }),
      fc.array(burst, { minLength: 1, maxLength: 3 }),
      async (bufferSize, sel, slowOn, fastOn, bursts) => {
        const fixture = await env.fixtures.open((registry) => [defineChannel(registry, env.cls, 'conformance.lag')]);
        try {
          const clients = await replicas(fixture, 3);
          const model = new ChannelModel();
          const publish = publisher(model, clients);
          const slow = await watch(model, clients[slowOn]!, slowOn, sel, bufferSize);
          const fast = await watch(model, clients[fastOn]!, fastOn, sel);
          for (const b of bursts) {
            // Nobody reads during the burst: the slow subscriber's buffer overflows.
            for (const [i, m] of b.entries()) await publish(m.client, m.topic, i);
            await settle(model, slow, publish, [0, 1]);
          }
          await settle(model, fast, publish, [0, 1]);
        } finally {
          await fixture.close();
        }
      },
    );
  },
};
