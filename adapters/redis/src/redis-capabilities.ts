import { allFeatures, type AdapterCapabilities } from '@stateproof/core/adapter-kit';
import type { DurabilityClass } from '@stateproof/spec';

/** Version of this adapter. */
export const REDIS_ADAPTER_VERSION = '0.1.0';

/**
 * What the Redis adapter claims: every kind and every feature; shared-durable for the five kinds
 * that allow it (which also hosts ephemeral and restart-safe-local surfaces), ephemeral for
 * channels; derived-projection for records and logs, whose stores commit a projection's writes with
 * its cursor in one script (applyProjection), and telemetry for logs, which core's emit buffer keeps
 * bounded and non-blocking in front of an ordinary append. Whether the live server can honour each
 * is the probe's to say (shared-durable: AOF with appendfsync always, no eviction, no failover; a
 * derived projection: AOF and no eviction). Time is the server's (`TIME` inside every script) and
 * expiries are observed within `expiryToleranceMs`; an injected clock (tests only) makes it `injectable`.
 */
export function redisCapabilities(options: {
  readonly injectableClock: boolean;
  readonly expiryToleranceMs: number;
}): AdapterCapabilities {
  const durable: DurabilityClass[] = ['shared-durable'];
  return {
    capabilitiesVersion: 1,
    adapter: { name: 'redis', version: REDIS_ADAPTER_VERSION },
    backend: 'redis',
    clock: options.injectableClock ? 'injectable' : 'server',
    ...(options.injectableClock ? {} : { tolerances: { expiryMs: options.expiryToleranceMs } }),
    kinds: {
      record: { classes: [...durable, 'derived-projection'], features: allFeatures('record') },
      log: { classes: [...durable, 'derived-projection', 'telemetry'], features: allFeatures('log') },
      claim: { classes: durable, features: allFeatures('claim') },
      queue: { classes: durable, features: allFeatures('queue') },
      dataspace: { classes: durable, features: allFeatures('dataspace') },
      channel: { classes: ['ephemeral'], features: allFeatures('channel') },
    },
  };
}
