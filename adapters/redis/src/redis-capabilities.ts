import { allFeatures, type AdapterCapabilities } from '@stateproof/core/adapter-kit';
import type { DurabilityClass } from '@stateproof/spec';

/** Version of this adapter. */
export const REDIS_ADAPTER_VERSION = '0.1.0';

/**
 * What the Redis adapter claims: every kind and every feature; shared-durable for the five kinds
 * that allow it (which also hosts ephemeral, restart-safe-local, derived-projection and telemetry
 * surfaces), ephemeral for channels. Whether the live server can honour shared-durable is the
 * probe's to say (AOF with appendfsync always, no eviction, no failover). Time is the server's
 * (`TIME` inside every script) and expiries are observed within `expiryToleranceMs`; an injected
 * clock (tests only) makes it `injectable`.
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
      record: { classes: durable, features: allFeatures('record') },
      log: { classes: durable, features: allFeatures('log') },
      claim: { classes: durable, features: allFeatures('claim') },
      queue: { classes: durable, features: allFeatures('queue') },
      dataspace: { classes: durable, features: allFeatures('dataspace') },
      channel: { classes: ['ephemeral'], features: allFeatures('channel') },
    },
  };
}
