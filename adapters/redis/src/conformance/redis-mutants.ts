import type { Mutant } from '@stateproof/conformance';

/** Mutants of the Redis adapter: realistic bugs of a Redis backend that the suite must catch. */
export const REDIS_MUTANTS: readonly Mutant[] = [];
