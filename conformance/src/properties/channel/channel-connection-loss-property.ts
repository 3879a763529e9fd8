import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { channel, type ChannelSurface, type ChannelView } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { SubscriptionReader } from '../common/subscription-reader.js';

const CHN_CONNECTION_LOSS = 'CHN-014';

/**
 * When the connections of an adapter drop, its publishes fail with the retryable
 * STATEPROOF_BACKEND_UNAVAILABLE or go through, and its subscriptions either end or keep receiving
 * (after an explicit `lagged`), never silently deaf and never with a duplicate.
 */
export const channelConnectionLossProperty: PropertySpec = {
  name: 'channel/connection-loss',
  kind: 'channel',
  requirements: [CHN_CONNECTION_LOSS],
  weight: 0.2,
  applies: (env) =>
    env.target.faults
      ? true
      : 'the target cannot sever connections (no `faults` hook; an in-process adapter has no connection to lose)',
  property: (env) =>
    fc.asyncProperty(fc.integer({ min: 1, max: 4 }), async (inflight) => {
      const faults = env.target.faults;
      if (!faults) return;
      const fixture = await env.fixtures.open((registry) => [
        channel('conformance.faults', {
          durability: 'ephemeral',
          message: Type.String(),
          registry,
        }) as ChannelSurface<string>,
      ]);
      try {
        const [surface] = fixture.surfaces;
        const sub = await fixture.rt.use(surface).subscribe({ topic: 't' });
        const reader = new SubscriptionReader<ChannelView<string>>(sub);
        const publishes = Array.from({ length: inflight }, (_, i) =>
          outcome(() => fixture.rt.use(surface).publish('t', `inflight-${i}`)),
        );
        await faults.dropConnections(fixture.adapter);
        for (const r of await Promise.all(publishes)) {
          const retryable = !r.ok && (r.error as { retryable?: unknown }).retryable === true;
          expectModel(
            r.ok || (r.code === 'STATEPROOF_BACKEND_UNAVAILABLE' && retryable),
            [CHN_CONNECTION_LOSS],
            () => `a publish in flight when the connections dropped gave ${describeOutcome(r)}`,
          );
        }
        const peer = (await fixture.peer()).use(surface);
        const seen = new Set<string>();
        let outcomeOfSubscription: 'ended' | 'receiving' | undefined;
        for (let probe = 0; probe < 40 && outcomeOfSubscription === undefined; probe++) {
          await peer.publish('t', `probe-${probe}`);
          for (;;) {
            const e = await reader.read(100);
            if (e === 'timeout') break;
            if (e === 'done') {
              outcomeOfSubscription = 'ended';
              break;
            }
            if (e.type !== 'message') continue;
            expectModel(
              !seen.has(e.message),
              [CHN_CONNECTION_LOSS],
              () => `after the connections dropped the subscriber received ${show(e.message)} twice`,
            );
            seen.add(e.message);
            if (e.message.startsWith('probe-')) outcomeOfSubscription = 'receiving';
          }
        }
        expectModel(
          outcomeOfSubscription !== undefined,
          [CHN_CONNECTION_LOSS],
          () =>
            `after the connections dropped the subscription neither ended nor received any of 40 messages published over 4 s: silently deaf`,
        );
        await sub.close();
      } finally {
        await fixture.close();
      }
    }),
};
