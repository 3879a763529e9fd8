import fc from 'fast-check';
import type { ChannelView } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { PARKED_MS, WAKE_TIMEOUT_MS } from '../common/parked-reads.js';
import { SubscriptionReader } from '../common/subscription-reader.js';
import { defineChannel, replicas } from './channel-fixture.js';

const planArb = fc.integer({ min: 2, max: 3 }).chain((instances) =>
  fc.record({
    instances: fc.constant(instances),
    /** Rounds: one instance publishes `count` messages. */
    rounds: fc.array(fc.record({ publisher: fc.nat(instances - 1), count: fc.integer({ min: 1, max: 3 }) }), {
      minLength: 1,
      maxLength: 5,
    }),
  }),
);

/** One subscriber under test, and what it received. */
interface Subscriber {
  readonly instance: number;
  readonly reader: SubscriptionReader<ChannelView<unknown>>;
  readonly got: string[];
  /** The last sequence received per publisher identity. */
  readonly seqs: Map<string, number>;
}

/**
 * Each of two or three replicas (adapter instances on one namespace) subscribes to one topic; then
 * in rounds one replica publishes while every subscriber is parked (it received everything and its
 * next read is waiting). Every subscriber, on the publishing replica and on the others, must wake and
 * receive each message once, in publish order, with one publisher identity per replica and an
 * increasing sequence, and nothing else. A subscription that reads the backend when asked but is only
 * woken by its own replica's publishes passes channel/model, which reads after publishing; it fails
 * here.
 */
export const channelCrossInstanceDeliveryProperty: PropertySpec = {
  name: 'channel/cross-instance-delivery',
  kind: 'channel',
  requirements: ['CHN-001', 'CHN-002', 'CHN-004'],
  property: (env) =>
    fc.asyncProperty(planArb, async (plan) => {
      const fixture = await env.fixtures.open((registry) => [defineChannel(registry, env.cls)]);
      try {
        const handles = await replicas(fixture, plan.instances);
        const subscribers: Subscriber[] = [];
        for (const [instance, h] of handles.entries())
          subscribers.push({
            instance,
            reader: new SubscriptionReader(await h.subscribe({ topic: 't' })),
            got: [],
            seqs: new Map(),
          });
        const identities = new Map<string, number>(); // publisher identity -> replica
        let sent = 0;
        for (const round of plan.rounds) {
          // Park every subscriber: it received everything and a read is waiting. Nothing more may come.
          const idle = await Promise.all(subscribers.map((s) => s.reader.read(PARKED_MS)));
          for (const [k, e] of idle.entries())
            expectModel(
              e === 'timeout',
              ['CHN-002'],
              () =>
                `the subscriber on replica ${k} got ${show(e)} after every message published (it received ${show(subscribers[k]!.got)})`,
            );
          const messages: string[] = [];
          for (let n = 0; n < round.count; n++) {
            const m = `r${round.publisher}.${++sent}`;
            messages.push(m);
            await handles[round.publisher]!.publish('t', m);
          }
          const cause = `replica ${round.publisher} published ${show(messages)} while it waited`;
          await Promise.all(
            subscribers.map(async (s) => {
              const where = () => `the subscriber on replica ${s.instance} (it received ${show(s.got)})`;
              for (const m of messages) {
                const e = await s.reader.read(WAKE_TIMEOUT_MS);
                expectModel(
                  e !== 'timeout' && e !== 'done',
                  ['CHN-001'],
                  () =>
                    `${where()} ${e === 'done' ? 'ended' : `received nothing for ${WAKE_TIMEOUT_MS} ms`} after ${cause}`,
                );
                s.got.push(e.type === 'message' ? show(e.message) : `lagged ${e.dropped}`);
                expectModel(
                  e.type === 'message' && e.message === m && e.topic === 't',
                  ['CHN-001', 'CHN-002', 'CHN-004'],
                  () => `${where()}: expected ${show(m)} next after ${cause}`,
                );
                if (e.type !== 'message') return;
                const replica = identities.get(e.publisher) ?? round.publisher;
                identities.set(e.publisher, replica);
                expectModel(
                  replica === round.publisher && e.seq > (s.seqs.get(e.publisher) ?? -Infinity),
                  ['CHN-004'],
                  () =>
                    `${where()}: ${show(m)} from replica ${round.publisher} carries publisher ${show(e.publisher)} (seen for replica ${replica}) and seq ${e.seq} after ${s.seqs.get(e.publisher)}`,
                );
                s.seqs.set(e.publisher, e.seq);
              }
            }),
          );
        }
      } finally {
        await fixture.close();
      }
    }),
};
