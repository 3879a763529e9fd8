import { Type } from '@sinclair/typebox';
import { isDeepStrictEqual } from 'node:util';
import { record, type RecordSurface } from '@stateproof/core';
import { connectionLossProperty, unexpected } from '../common/connection-loss-property.js';

const value = (i: number) => ({ i, pad: 'x'.repeat(2000) });

/** A put in flight when the connection drops is written whole with a version, or not at all. */
export const recordConnectionLossProperty = connectionLossProperty<RecordSurface<unknown>>({
  kind: 'record',
  requirement: 'REC-031',
  define: (registry, cls) =>
    record('conformance.faults', { durability: cls, value: Type.Unknown(), registry }) as RecordSurface<unknown>,
  attempt: (rt, s, i) => rt.use(s).put(`k${i}`, value(i)),
  async verify(rt, s, i, acknowledged) {
    const got = await rt.use(s).get(`k${i}`);
    const whole =
      got !== null && isDeepStrictEqual(got.value, value(i)) && Number.isSafeInteger(got.version) && got.version > 0;
    return whole || (!acknowledged && got === null) ? undefined : unexpected(`record k${i}`, got, acknowledged);
  },
});
