import fc from 'fast-check';
import { ChannelModel, type Selector } from '../../models/channel-model.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { defineChannel, replicas } from './channel-fixture.js';
import { publisher, settle, watch } from './channel-reading.js';

type Batch = ReadonlyArray<{ readonly client: number; readonly topic: string }>;

/**
 * A subscription receives nothing published before its `subscribe` began and everything published
 * after it resolved; what is published while it opens may or may not come, but at most once and in
 * order. A second subscription made after all of it receives none of the earlier messages: nothing is
 * kept or replayed.
 */
export const channelLiveWindowProperty: PropertySpec = {
  name: 'channel/live-window',
  kind: 'channel',
  requirements: ['CHN-003', 'CHN-001', 'CHN-002'],
  property: (env) => {
    const patterns = env.capabilities.kinds.channel?.features.patterns === true;
    const batch = (min: number) =>
      fc.array(fc.record({ client: fc.integer({ min: 0, max: 2 }), topic: fc.constantFrom('t', 't', 'u') }), {
        minLength: min,
        maxLength: 6,
      });
    const selector: fc.Arbitrary<Selector> = patterns
      ? fc.constantFrom<Selector>({ topic: 't' }, { pattern: 't*' }, { pattern: '*' })
      : fc.constant<Selector>({ topic: 't' });
    return fc.asyncProperty(
      selector,
      fc.integer({ min: 0, max: 2 }),
      fc.integer({ min: 0, max: 2 }),
      batch(1),
      batch(0),
      batch(1),
      async (sel, subOn, lateOn, before, during, after) => {
        const fixture = await env.fixtures.open((registry) => [defineChannel(registry, env.cls, 'conformance.window')]);
        try {
          const clients = await replicas(fixture, 3);
          const model = new ChannelModel();
          const publish = publisher(model, clients);
          const send = async (b: Batch) => {
            for (const [i, m] of b.entries()) await publish(m.client, m.topic, i);
          };
          await send(before);
          // Subscribe while a batch is being published: those messages are optional, nothing before is allowed.
          const [w] = await Promise.all([watch(model, clients[subOn]!, subOn, sel), send(during)]);
          await send(after);
          const late = await watch(model, clients[lateOn]!, lateOn, sel);
          await settle(model, w, publish, [0, 1, 2]);
          await settle(model, late, publish, [0, 1, 2]);
        } finally {
          await fixture.close();
        }
      },
    );
  },
};
