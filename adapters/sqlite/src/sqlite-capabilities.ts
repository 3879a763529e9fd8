import { allFeatures, type AdapterCapabilities } from '@stateproof/core/adapter-kit';

/** Version of this adapter. */
export const SQLITE_ADAPTER_VERSION = '0.1.0';

/**
 * What the SQLite adapter claims: every kind and feature; restart-safe-local for the five durable
 * kinds and ephemeral for all six (channels are ephemeral by nature); an injectable clock.
 *
 * It claims neither derived-projection nor telemetry: the taxonomy hosts both on an adapter that
 * certifies restart-safe-local (their `hostedBy`), and what sets them apart — rebuilding from the
 * source, a single writer, bounded non-blocking appends with counted drops — is enforced by the
 * projector and by core, not by the backend. Nor shared-durable: a SQLite file is shared only by
 * processes on one host and does not survive the loss of that host.
 */
export const SQLITE_CAPABILITIES: AdapterCapabilities = {
  capabilitiesVersion: 1,
  adapter: { name: 'sqlite', version: SQLITE_ADAPTER_VERSION },
  backend: 'sqlite',
  clock: 'injectable',
  kinds: {
    record: { classes: ['ephemeral', 'restart-safe-local'], features: allFeatures('record') },
    log: { classes: ['ephemeral', 'restart-safe-local'], features: allFeatures('log') },
    claim: { classes: ['ephemeral', 'restart-safe-local'], features: allFeatures('claim') },
    queue: { classes: ['ephemeral', 'restart-safe-local'], features: allFeatures('queue') },
    dataspace: { classes: ['ephemeral', 'restart-safe-local'], features: allFeatures('dataspace') },
    channel: { classes: ['ephemeral'], features: allFeatures('channel') },
  },
};
