import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { channel, type ChannelSurface, type ChannelView } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { SubscriptionReader } from '../common/subscription-reader.js';
import { connectionsBeforeFault, expectFaultInjected, expectVerifiableFaults } from '../common/fault-evidence.js';

const CHN_CONNECTION_LOSS = 'CHN-014';

/**
 * When the connections of an adapter drop, its publishes fail with the retryable
 * STATEPROOF_BACKEND_UNAVAILABLE or go through, and its subscriptions either end or keep receiving
 * (after an explicit `lagged`), never silently deaf and never with a duplicate. The fault itself is
 * verified: the connections the adapter held before it must be gone ("fault not injected" otherwise).
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
      expectVerifiableFaults(faults, [CHN_CONNECTION_LOSS]);
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
        const before = await connectionsBeforeFault(faults, fixture.adapter);
        await faults.dropConnections(fixture.adapter);
        const results = await Promise.all(publishes);
        for (const r of results) {
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
        const observedLoss = results.some((r) => !r.ok && r.code === 'STATEPROOF_BACKEND_UNAVAILABLE');
        await expectFaultInjected(faults, fixture.adapter, before, observedLoss, [CHN_CONNECTION_LOSS]);
      } finally {
        await fixture.close();
      }
    }),
};
