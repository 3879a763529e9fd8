import { memoryKit } from '@stateproof/adapter-memory/conformance';
import { postgresKit } from '@stateproof/adapter-postgres/conformance';
import { redisKit } from '@stateproof/adapter-redis/conformance';
import { sqliteKit } from '@stateproof/adapter-sqlite/conformance';
import type { ConformanceKit } from '@stateproof/conformance';

/**
 * The adapters `--adapter <name>` knows, each through the conformance kit its own package exports
 * (`@stateproof/adapter-<name>/conformance`); anything else is a module path. Their mutants, in this
 * order, are what `stateproof mutants` runs.
 */
export const KITS: readonly ConformanceKit[] = [memoryKit, sqliteKit, postgresKit, redisKit];
