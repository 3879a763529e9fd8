import { allFeatures, type AdapterCapabilities } from '@stateproof/core/adapter-kit';

/** Version of this adapter. */
export const MEMORY_ADAPTER_VERSION = '0.1.0';

/** What the memory adapter claims: every kind and feature, the ephemeral class (and telemetry for logs, which is best effort) only, an injectable clock. */
export const MEMORY_CAPABILITIES: AdapterCapabilities = {
  capabilitiesVersion: 1,
  adapter: { name: 'memory', version: MEMORY_ADAPTER_VERSION },
  backend: 'memory',
  clock: 'injectable',
  kinds: {
    record: { classes: ['ephemeral'], features: allFeatures('record') },
    log: { classes: ['ephemeral', 'telemetry'], features: allFeatures('log') },
    claim: { classes: ['ephemeral'], features: allFeatures('claim') },
    queue: { classes: ['ephemeral'], features: allFeatures('queue') },
    dataspace: { classes: ['ephemeral'], features: allFeatures('dataspace') },
    channel: { classes: ['ephemeral'], features: allFeatures('channel') },
  },
};
