import { Type } from '@sinclair/typebox';
import { log, type LogSurface } from '@stateproof/core';
import { connectionLossProperty, unexpected } from '../common/connection-loss-property.js';

const batch = (i: number) => [i * 10 + 1, i * 10 + 2, i * 10 + 3];

/** A batch append in flight when the connection drops is in the stream whole, or not at all. */
export const logConnectionLossProperty = connectionLossProperty<LogSurface<number>>({
  kind: 'log',
  requirement: 'LOG-029',
  features: ['batch'],
  define: (registry, cls) =>
    log('conformance.faults', {
      durability: cls,
      value: Type.Integer(),
      ...(cls === 'telemetry' ? { retention: { maxEntries: 1000 } } : {}),
      registry,
    }) as LogSurface<number>,
  attempt: (rt, s, i) => rt.use(s).appendBatch(`s${i}`, batch(i)),
  async verify(rt, s, i, acknowledged) {
    const got = (await rt.use(s).read(`s${i}`, { after: 0, limit: 100 })).map((e) => [e.seq, e.value]);
    const whole = JSON.stringify(got) === JSON.stringify(batch(i).map((v, j) => [j + 1, v]));
    return whole || (!acknowledged && got.length === 0) ? undefined : unexpected(`stream s${i}`, got, acknowledged);
  },
});
