import type { Mutant } from '@stateproof/conformance';
import { REDIS_LYING_PROBE_MUTANTS } from './mutants/lying-probe-mutants.js';
import { REDIS_RECORD_MUTANTS } from './mutants/record-mutants.js';
import { REDIS_CLAIM_LOG_MUTANTS } from './mutants/claim-log-mutants.js';
import { REDIS_CLIENT_CLOCK_MUTANTS } from './mutants/client-clock-mutants.js';
import { REDIS_QUEUE_MUTANTS } from './mutants/queue-mutants.js';
import { REDIS_DATASPACE_CHANNEL_MUTANTS } from './mutants/dataspace-channel-mutants.js';
import { REDIS_RETENTION_MUTANTS } from './mutants/retention-mutants.js';

/** Mutants of the Redis adapter: realistic bugs of a Redis backend that the suite must catch. */
export const REDIS_MUTANTS: readonly Mutant[] = [
  ...REDIS_LYING_PROBE_MUTANTS,
  ...REDIS_RECORD_MUTANTS,
  ...REDIS_CLAIM_LOG_MUTANTS,
  ...REDIS_CLIENT_CLOCK_MUTANTS,
  ...REDIS_QUEUE_MUTANTS,
  ...REDIS_DATASPACE_CHANNEL_MUTANTS,
  ...REDIS_RETENTION_MUTANTS,
];
