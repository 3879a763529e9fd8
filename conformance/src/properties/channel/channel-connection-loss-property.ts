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
 * (after an explicit `lagged`), never silently deaf and never with a duplicate. A peer on another
 * instance publishes throughout the fault: each of its acknowledged messages the subscriber misses
 * (published while its connection was down) must be announced by a `lagged` event before the next
 * message of that peer it does receive, never lost without a word (CHN-001 allows no other loss).
 * The fault itself is verified: the connections the adapter held before it must be gone ("fault not
 * injected" otherwise).
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
        // The peer's steady stream across the fault: what it acknowledged, in order.
        const steady = (await fixture.peer()).use(surface);
        const acknowledged: string[] = [];
        let stop = false;
        const streaming = (async () => {
          for (let n = 0; !stop && n < 1000; n++) {
            const r = await outcome(() => steady.publish('t', `steady-${n}`));
            if (r.ok) acknowledged.push(`steady-${n}`);
            await new Promise((resolve) => setTimeout(resolve, 2));
          }
        })();
        await new Promise((resolve) => setTimeout(resolve, 30));
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
        // The subscriber's view of the steady stream, with the lag events where they came.
        const steadyView: Array<string | 'lagged'> = [];
        const note = (e: ChannelView<string>) => {
          if (e.type === 'lagged') steadyView.push('lagged');
          else if (e.message.startsWith('steady-')) steadyView.push(e.message);
        };
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
            note(e);
            if (e.type !== 'message') continue;
            expectModel(
              !seen.has(e.message),
              [CHN_CONNECTION_LOSS],
              () => `after the connections dropped the subscriber received ${show(e.message)} twice`,
            );
            seen.add(e.message);
            if (e.message.startsWith('probe-')) {
              outcomeOfSubscription = 'receiving';
              break;
            }
          }
        }
        expectModel(
          outcomeOfSubscription !== undefined,
          [CHN_CONNECTION_LOSS],
          () =>
            `after the connections dropped the subscription neither ended nor received any of 40 messages published over 4 s: silently deaf`,
        );
        // Let the steady stream run on after the subscriber is back, then read what is left of it.
        if (outcomeOfSubscription === 'receiving') await new Promise((resolve) => setTimeout(resolve, 100));
        stop = true;
        await streaming;
        if (outcomeOfSubscription === 'receiving')
          for (;;) {
            const e = await reader.read(300);
            if (e === 'timeout' || e === 'done') break;
            note(e);
          }
        if (outcomeOfSubscription === 'receiving') {
          const unannounced = unannouncedLoss(acknowledged, steadyView);
          expectModel(
            unannounced === undefined,
            [CHN_CONNECTION_LOSS],
            () =>
              `after the connections dropped the subscriber missed ${unannounced} without a lagged event before the next message it received (it saw ${show(compact(steadyView))} of ${acknowledged.length} acknowledged)`,
          );
        }
        await sub.close();
        const observedLoss = results.some((r) => !r.ok && r.code === 'STATEPROOF_BACKEND_UNAVAILABLE');
        await expectFaultInjected(faults, fixture.adapter, before, observedLoss, [CHN_CONNECTION_LOSS]);
      } finally {
        await fixture.close();
      }
    }),
};

/**
 * The first acknowledged message of the steady stream that the subscriber missed with no `lagged`
 * between the last message it received before it and the first it received after it, or undefined.
 * Messages after the last one received may still be on their way and are not judged.
 */
function unannouncedLoss(acknowledged: readonly string[], view: ReadonlyArray<string | 'lagged'>): string | undefined {
  const position = new Map(acknowledged.map((m, i) => [m, i]));
  let expected = 0; // the index of the next acknowledged message the subscriber should see
  let lagged = false;
  for (const v of view) {
    if (v === 'lagged') {
      lagged = true;
      continue;
    }
    const at = position.get(v);
    if (at === undefined) continue; // not acknowledged (its publish may have failed)
    if (at > expected && !lagged) return acknowledged[expected];
    expected = Math.max(expected, at + 1);
    lagged = false;
  }
  return undefined;
}

/** The view with runs of consecutive steady messages shortened, for messages. */
function compact(view: ReadonlyArray<string | 'lagged'>): string[] {
  const out: string[] = [];
  for (const v of view) {
    const prev = out.at(-1);
    if (v !== 'lagged' && prev !== undefined && prev !== 'lagged' && !prev.endsWith('…')) out.push(`${v}…`);
    else if (v !== 'lagged' && prev?.endsWith('…')) out[out.length - 1] = `${v}…`;
    else out.push(v);
  }
  return out;
}
