import { log, type LogSurface } from '@stateproof/core';
import { limitsProperty } from '../common/limits-property.js';

/** Malformed streams and values are refused and append nothing; one bad value refuses the whole batch. */
export const logLimitsProperty = limitsProperty<LogSurface<unknown>>({
  kind: 'log',
  name: 'append',
  requirements: { invalidKey: 'LOG-022', notIJson: 'LOG-023', tooLarge: 'LOG-024', schema: 'LOG-025' },
  define: (registry, cls, schema, maxValueBytes) =>
    log('conformance.limits', {
      durability: cls,
      value: schema,
      maxValueBytes,
      ...(cls === 'telemetry' ? { retention: { maxEntries: 100 } } : {}),
      registry,
    }) as LogSurface<unknown>,
  setup: async (rt, s) => void (await rt.use(s).append('k', { n: 0 })),
  write: async (rt, s, key, value) => {
    const h = rt.use(s);
    // Half the time inside a batch with a valid value first: the batch must be refused whole.
    return rt.adapter.capabilities.kinds.log?.features.batch && key === 'k'
      ? h.appendBatch(key, [{ n: 1 }, value])
      : h.append(key, value);
  },
  state: async (rt, s) => rt.use(s).info('k'),
});
