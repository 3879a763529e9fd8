import { allFeatures, type AdapterCapabilities } from '@stateproof/core/adapter-kit';

/** Version of this adapter. */
export const SQLITE_ADAPTER_VERSION = '0.1.0';

/**
 * What the SQLite adapter claims: every kind and feature; restart-safe-local for the five durable
 * kinds and ephemeral for all six (channels are ephemeral by nature); derived-projection for records
 * and logs, whose stores commit a projection's writes with its cursor in one transaction
 * (applyProjection); telemetry for logs, which core's emit buffer keeps bounded and non-blocking in
 * front of an ordinary append; an injectable clock. The probe certifies derived-projection when a
 * killed process loses no commit (a real journal in a file) and telemetry always (best effort).
 *
 * Not shared-durable: a SQLite file is shared only by processes on one host and does not survive
 * the loss of that host.
 */
export const SQLITE_CAPABILITIES: AdapterCapabilities = {
  capabilitiesVersion: 1,
  adapter: { name: 'sqlite', version: SQLITE_ADAPTER_VERSION },
  backend: 'sqlite',
  clock: 'injectable',
  kinds: {
    record: {
      classes: ['ephemeral', 'restart-safe-local', 'derived-projection'],
      features: allFeatures('record'),
    },
    log: {
      classes: ['ephemeral', 'restart-safe-local', 'derived-projection', 'telemetry'],
      features: allFeatures('log'),
    },
    claim: { classes: ['ephemeral', 'restart-safe-local'], features: allFeatures('claim') },
    queue: { classes: ['ephemeral', 'restart-safe-local'], features: allFeatures('queue') },
    dataspace: { classes: ['ephemeral', 'restart-safe-local'], features: allFeatures('dataspace') },
    channel: { classes: ['ephemeral'], features: allFeatures('channel') },
  },
};
