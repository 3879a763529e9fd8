import fc from 'fast-check';
import type { ChannelHandle, ChannelView, Registry } from '@stateproof/core';
import { ChannelModel, type Selector } from '../../models/channel-model.js';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { trickyKeyArb } from '../arbitraries.js';
import { SubscriptionReader } from '../common/subscription-reader.js';
import { defineChannel } from './channel-fixture.js';
import { publisher, READ_TIMEOUT_MS, settle, watch } from './channel-reading.js';

/** A subscriber somewhere the messages must not reach, and the topics its markers go to. */
interface Outsider {
  readonly where: string;
  readonly reader: SubscriptionReader<ChannelView<unknown>>;
  readonly selector: Selector;
}

/**
 * Topics with quotes, wildcards, separators, backslashes and astral characters stay where they were
 * published. On the surface itself, an exact subscriber of each topic on another replica receives
 * that topic's message and no other (a topic is never read as a pattern). Subscribers of the same
 * topics (and of every topic) on another surface and in another namespace receive nothing of them:
 * each reads up to a marker published where it lives, after the messages.
 */
export const channelIsolationProperty: PropertySpec = {
  name: 'channel/isolation',
  kind: 'channel',
  requirements: ['CHN-012', 'CHN-005'],
  weight: 0.5,
  property: (env) =>
    fc.asyncProperty(fc.uniqueArray(trickyKeyArb, { minLength: 1, maxLength: 6 }), async (keys) => {
      const define = (registry: Registry) =>
        [
          defineChannel(registry, env.cls, 'conformance.iso.a'),
          defineChannel(registry, env.cls, 'conformance.iso.b'),
        ] as const;
      const one = await env.fixtures.open(define);
      const two = await env.fixtures.open(define);
      try {
        const patterns = env.capabilities.kinds.channel?.features.patterns === true;
        const selectors: Selector[] = [...keys.map((topic) => ({ topic })), ...(patterns ? [{ pattern: '*' }] : [])];
        const here = [one.rt.use(one.surfaces[0]), (await one.peer()).use(one.surfaces[0])];
        const model = new ChannelModel();
        const publish = publisher(model, here);
        const inside = [];
        for (const selector of selectors)
          inside.push(await watch(model, here[1] as ChannelHandle<unknown>, 1, selector));
        const elsewhere = [
          { where: 'another surface', h: one.rt.use(one.surfaces[1]) },
          { where: 'another namespace', h: two.rt.use(two.surfaces[0]) },
        ];
        const outsiders: Outsider[] = [];
        for (const { where, h } of elsewhere)
          for (const selector of selectors)
            outsiders.push({ where, selector, reader: new SubscriptionReader(await h.subscribe(selector)) });

        for (const k of keys) await publish(0, k, k);
        for (const w of inside) await settle(model, w, publish, [0]);

        for (const { h } of elsewhere) for (const k of keys) await h.publish(k, { marker: k });
        for (const o of outsiders) {
          // Exact subscribers wait for their own topic's marker; a pattern subscriber for all of them.
          const awaited = new Set('topic' in o.selector ? [o.selector.topic] : keys);
          while (awaited.size > 0) {
            const e = await o.reader.read(READ_TIMEOUT_MS);
            expectModel(
              e !== 'timeout' && e !== 'done',
              ['CHN-001'],
              () =>
                `a subscriber of ${show(o.selector)} on ${o.where} never received the markers ${show([...awaited])}`,
            );
            const marker =
              e.type === 'message' && typeof e.message === 'object' && e.message !== null
                ? (e.message as { marker?: unknown }).marker
                : undefined;
            expectModel(
              typeof marker === 'string' && marker === (e.type === 'message' ? e.topic : undefined),
              ['CHN-012'],
              () =>
                `a subscriber of ${show(o.selector)} on ${o.where} received ${show(e)}, published on the surface under test`,
            );
            awaited.delete(marker as string);
          }
        }
      } finally {
        await one.close();
        await two.close();
      }
    }),
};
