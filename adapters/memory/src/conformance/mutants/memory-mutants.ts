import type { Mutant } from '@stateproof/conformance';
import { CHANNEL_MUTANTS } from './channel-mutants.js';
import { CLAIM_MUTANTS } from './claim-mutants.js';
import { CONCURRENCY_MUTANTS } from './concurrency-mutants.js';
import { CROSS_INSTANCE_MUTANTS } from './cross-instance-mutants.js';
import { DATASPACE_MUTANTS } from './dataspace-mutants.js';
import { DATASPACE_RACE_MUTANTS } from './dataspace-race-mutants.js';
import { DURABILITY_MUTANTS } from './durability-mutants.js';
import { ENVELOPE_MUTANTS } from './envelope-mutants.js';
import { LOG_MUTANTS } from './log-mutants.js';
import { QUEUE_MUTANTS } from './queue-mutants.js';
import { RECORD_MUTANTS } from './record-mutants.js';
import { RECORD_RECREATE_MUTANTS } from './record-recreate-mutants.js';
import { RETENTION_MUTANTS } from './retention-mutants.js';
import { TELEMETRY_MUTANTS } from './telemetry-mutants.js';
import { WRITE_DELAY_MUTANTS } from './write-delay-mutants.js';

/** The memory adapter with one bug planted each: every kind's mutants, then durability, channel, concurrency, cross-instance subscriptions and telemetry (core's emit path). */
export const MEMORY_MUTANTS: readonly Mutant[] = [
  ...RECORD_MUTANTS,
  ...ENVELOPE_MUTANTS,
  ...LOG_MUTANTS,
  ...CLAIM_MUTANTS,
  ...QUEUE_MUTANTS,
  ...RETENTION_MUTANTS,
  ...DATASPACE_MUTANTS,
  ...DURABILITY_MUTANTS,
  ...CHANNEL_MUTANTS,
  ...CONCURRENCY_MUTANTS,
  ...CROSS_INSTANCE_MUTANTS,
  ...RECORD_RECREATE_MUTANTS,
  ...WRITE_DELAY_MUTANTS,
  ...DATASPACE_RACE_MUTANTS,
  ...TELEMETRY_MUTANTS,
];
