import { allFeatures, type AdapterCapabilities } from '@stateproof/core/adapter-kit';
import type { DurabilityClass } from '@stateproof/spec';

/** Version of this adapter. */
export const POSTGRES_ADAPTER_VERSION = '0.1.0';

/** Default declared tolerance of expiry observed through the server clock, in ms. */
export const DEFAULT_EXPIRY_TOLERANCE_MS = 50;

/**
 * What the Postgres adapter claims: every kind and every feature; shared-durable for the five
 * kinds that allow it (which also hosts ephemeral and restart-safe-local surfaces), ephemeral for
 * channels (the only class a channel may have); derived-projection for records and logs, whose
 * stores commit a projection's writes with its cursor in one transaction (applyProjection), and
 * telemetry for logs, which core's emit buffer keeps bounded and non-blocking in front of an
 * ordinary append. Time is the server's, and expiries are observed within `expiryToleranceMs`; an
 * injected clock (tests only) makes it `injectable`.
 */
export function postgresCapabilities(options: {
  readonly injectableClock: boolean;
  readonly expiryToleranceMs: number;
}): AdapterCapabilities {
  const durable: DurabilityClass[] = ['shared-durable'];
  return {
    capabilitiesVersion: 1,
    adapter: { name: 'postgres', version: POSTGRES_ADAPTER_VERSION },
    backend: 'postgres',
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
