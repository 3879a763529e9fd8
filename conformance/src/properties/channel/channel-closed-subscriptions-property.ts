import fc from 'fast-check';
import { bindingOf } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { SubscriptionReader } from '../common/subscription-reader.js';
import { defineChannel } from './channel-fixture.js';
import { READ_TIMEOUT_MS } from './channel-reading.js';

/**
 * Closing a runtime, or its adapter under it, ends the subscriptions open on it (a pending read
 * completes with done) and makes the adapter's own publish and subscribe fail with STATEPROOF_CLOSED;
 * a replica that stays open goes on publishing and receiving.
 */
export const channelClosedSubscriptionsProperty: PropertySpec = {
  name: 'channel/closed-subscriptions',
  kind: 'channel',
  requirements: ['CHN-013'],
  weight: 0.2,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom('runtime', 'adapter'), fc.boolean(), async (what, pending) => {
      const fixture = await env.fixtures.open((registry) => [defineChannel(registry, env.cls, 'conformance.closed')]);
      try {
        const peer = (await fixture.peer()).use(fixture.surfaces[0]);
        const store = await fixture.adapter.openChannel!(bindingOf(fixture.surfaces[0], fixture.rt.scope));
        const mine = new SubscriptionReader(await fixture.rt.use(fixture.surfaces[0]).subscribe({ topic: 't' }));
        const raw = new SubscriptionReader(await store.subscribe({ topic: 't' }));
        const theirs = new SubscriptionReader(await peer.subscribe({ topic: 't' }));
        // Optionally with reads already waiting when the close comes.
        const waiting = pending ? [mine.read(READ_TIMEOUT_MS), raw.read(READ_TIMEOUT_MS)] : [];
        if (what === 'runtime') await fixture.rt.close();
        else await fixture.adapter.close();
        const ends = await Promise.all([...waiting, mine.read(READ_TIMEOUT_MS), raw.read(READ_TIMEOUT_MS)]);
        expectModel(
          ends.every((e) => e === 'done'),
          ['CHN-013'],
          () =>
            `after the ${what} closed, its open subscriptions gave ${show(ends.map((e) => (typeof e === 'string' ? e : e.type)))} instead of ending`,
        );
        for (const [name, op] of [
          ['publish', () => store.publish('t', 'x')],
          ['subscribe', () => store.subscribe({ topic: 't' })],
        ] as const) {
          const got = await outcome<unknown>(op);
          expectModel(
            !got.ok && got.code === 'STATEPROOF_CLOSED',
            ['CHN-013'],
            () => `${name} on the adapter after the ${what} closed gave ${describeOutcome(got)}`,
          );
        }
        await peer.publish('t', 'still here');
        const e = await theirs.read(READ_TIMEOUT_MS);
        expectModel(
          e !== 'timeout',
          ['CHN-001'],
          () =>
            `after another replica's ${what} closed, a subscriber on an open replica received nothing for ${READ_TIMEOUT_MS} ms`,
        );
        expectModel(
          typeof e === 'object' && e.type === 'message' && e.message === 'still here',
          ['CHN-013'],
          () => `after another replica's ${what} closed, a subscriber on an open replica got ${show(e)}`,
        );
      } finally {
        await fixture.close();
      }
    }),
};
