import { Type } from '@sinclair/typebox';
import { claim, type ClaimSurface } from '@stateproof/core';
import { connectionLossProperty, unexpected } from '../common/connection-loss-property.js';

/** An acquire in flight when the connection drops either holds the claim for its owner or left no trace; `get` tells which. */
export const claimConnectionLossProperty = connectionLossProperty<ClaimSurface<unknown>>({
  kind: 'claim',
  requirement: 'CLM-018',
  define: (registry, cls) =>
    claim('conformance.faults', { durability: cls, result: Type.Unknown(), registry }) as ClaimSurface<unknown>,
  attempt: (rt, s, i) => rt.use(s).acquire(`k${i}`, { owner: `o${i}`, leaseMs: 3_600_000 }),
  async verify(rt, s, i, acknowledged) {
    const got = await rt.use(s).get(`k${i}`);
    const whole = got !== null && got.state === 'held' && got.holder === `o${i}` && got.token > 0;
    return whole || (!acknowledged && got === null) ? undefined : unexpected(`claim k${i}`, got, acknowledged);
  },
});
