import { isDeepStrictEqual } from 'node:util';
import { channel, type ChannelSurface, type ChannelView, type Runtime } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { limitsProperty } from '../common/limits-property.js';
import { SubscriptionReader } from '../common/subscription-reader.js';
import { READ_TIMEOUT_MS } from './channel-reading.js';
import { claimsPatterns } from './channel-fixture.js';

/** Subscribers that watch what a refused publish might have sent: the exact topic `k`, and every topic when patterns are claimed. */
interface Probe {
  readonly readers: SubscriptionReader<ChannelView<unknown>>[];
  /** Every message the probes saw, except the probe markers themselves. */
  readonly seen: unknown[];
  markers: number;
}

const probes = new WeakMap<Runtime, Probe>();

/**
 * Malformed topics and messages are refused with their typed error and publish nothing: subscribers
 * of the topic (and of every topic, with patterns) see nothing of them before the next good message.
 */
export const channelLimitsProperty = limitsProperty<ChannelSurface<unknown>>({
  kind: 'channel',
  name: 'publish',
  requirements: { invalidKey: 'CHN-009', notIJson: 'CHN-010', tooLarge: 'CHN-010', schema: 'CHN-010' },
  define: (registry, cls, schema, maxValueBytes) =>
    channel('conformance.limits', {
      durability: cls,
      message: schema,
      maxValueBytes,
      registry,
    }) as ChannelSurface<unknown>,
  setup: async (rt, s) => {
    const h = rt.use(s);
    const subs = [
      await h.subscribe({ topic: 'k' }),
      ...(claimsPatterns(rt) ? [await h.subscribe({ pattern: '*' })] : []),
    ];
    probes.set(rt, { readers: subs.map((sub) => new SubscriptionReader(sub)), seen: [], markers: 0 });
    await h.publish('k', { n: 1 });
  },
  write: async (rt, s, key, value) => rt.use(s).publish(key, value),
  // What the probes saw up to a marker published now: a refused publish must not add to it.
  state: async (rt, s) => {
    const probe = probes.get(rt) as Probe;
    const marker = { n: 0, s: `probe:${++probe.markers}` };
    await rt.use(s).publish('k', marker);
    for (const [i, reader] of probe.readers.entries()) {
      for (;;) {
        const e = await reader.read(READ_TIMEOUT_MS);
        expectModel(
          e !== 'timeout' && e !== 'done',
          ['CHN-001'],
          () => `probe subscriber ${i} never received the marker ${show(marker)}`,
        );
        if (e.type === 'message' && isDeepStrictEqual(e.message, marker)) break;
        const earlier =
          e.type === 'message' &&
          typeof e.message === 'object' &&
          e.message !== null &&
          String((e.message as { s?: unknown }).s).startsWith('probe:');
        expectModel(
          !earlier,
          ['CHN-002'],
          () => `probe subscriber ${i} received the marker ${show(e.type === 'message' ? e.message : e)} a second time`,
        );
        probe.seen.push({ probe: i, ...(e.type === 'message' ? { topic: e.topic, message: e.message } : e) });
      }
    }
    return [...probe.seen];
  },
});
