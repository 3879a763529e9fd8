import { Type } from '@sinclair/typebox';
import { dataspace, type DataspaceSession, type DataspaceSurface } from '@stateproof/core';
import { connectionLossProperty, unexpected } from '../common/connection-loss-property.js';

/** An assert in flight when the connection drops is visible whole under its session, or not at all. */
export const dataspaceConnectionLossProperty = connectionLossProperty<
  DataspaceSurface<number>,
  DataspaceSession<number>
>({
  kind: 'dataspace',
  requirement: 'DSP-023',
  define: (registry, cls) =>
    dataspace('conformance.faults', { durability: cls, value: Type.Integer(), registry }) as DataspaceSurface<number>,
  setup: (rt, s) => rt.use(s).openSession({ owner: 'faulty', leaseMs: 3_600_000 }),
  attempt: (_rt, _s, i, session) => session.assert(`a${i}`, i),
  async verify(rt, s, i, acknowledged) {
    const got = await rt.use(s).get(`a${i}`);
    const whole = got !== null && got.value === i && got.owner === 'faulty';
    return whole || (!acknowledged && got === null) ? undefined : unexpected(`assertion a${i}`, got, acknowledged);
  },
});
