import fc from 'fast-check';
import { ChannelModel, type Selector } from '../../models/channel-model.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { defineChannel, replicas } from './channel-fixture.js';
import { closeWhileReading, drain, expectEnded, publisher, settle, watch } from './channel-reading.js';

/**
 * Three subscribers of one selector, two on the same replica and one on another; one of them closes,
 * with messages waiting or with a read pending. The closed one ends (the pending read with done) and
 * yields nothing more however much is published after; the other two, even the one beside it on the
 * same replica, go on receiving everything.
 */
export const channelCloseProperty: PropertySpec = {
  name: 'channel/close',
  kind: 'channel',
  requirements: ['CHN-007', 'CHN-001'],
  property: (env) => {
    const patterns = env.capabilities.kinds.channel?.features.patterns === true;
    const selector: fc.Arbitrary<Selector> = patterns
      ? fc.constantFrom<Selector>({ topic: 't' }, { pattern: 't*' })
      : fc.constant<Selector>({ topic: 't' });
    const clientArb = fc.integer({ min: 0, max: 1 });
    return fc.asyncProperty(
      selector,
      fc.integer({ min: 0, max: 2 }),
      fc.boolean(),
      fc.array(clientArb, { maxLength: 5 }),
      fc.array(clientArb, { minLength: 1, maxLength: 5 }),
      async (sel, closing, readPending, before, after) => {
        const fixture = await env.fixtures.open((registry) => [defineChannel(registry, env.cls, 'conformance.close')]);
        try {
          const clients = await replicas(fixture, 2);
          const model = new ChannelModel();
          const publish = publisher(model, clients);
          const subs = [
            await watch(model, clients[0]!, 0, sel),
            await watch(model, clients[0]!, 0, sel),
            await watch(model, clients[1]!, 1, sel),
          ];
          for (const c of before) await publish(c, 't', 'before');
          const closed = subs[closing]!;
          if (readPending) {
            await drain(model, closed);
            await closeWhileReading(model, closed);
          } else {
            await closed.sub.close();
            model.close(closed.id);
          }
          await expectEnded(model, closed);
          for (const c of after) await publish(c, 't', 'after');
          await expectEnded(model, closed);
          for (const w of subs) if (w !== closed) await settle(model, w, publish, [0, 1]);
          await expectEnded(model, closed);
        } finally {
          await fixture.close();
        }
      },
    );
  },
};
