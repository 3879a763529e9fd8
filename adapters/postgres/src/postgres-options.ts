import {
  InvalidOptionsError,
  optionalBoolean,
  optionalInt,
  optionObject,
  redactUrl,
  type AdapterTestHooks,
  type Clock,
} from '@stateproof/core/adapter-kit';
import { DEFAULT_EXPIRY_TOLERANCE_MS } from './postgres-capabilities.js';
import { validateSchemaName } from './db/sql-names.js';

/** Where the adapter connects when no URL is given: a local server with trust authentication. */
export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Options of {@link postgresAdapter}. */
export interface PostgresAdapterOptions {
  /** Connection URL, `postgres://user:password@host:port/database` (default {@link DEFAULT_PG_URL}). */
  readonly url?: string;
  /** The schema the adapter owns, created and migrated on first use (default `stateproof`). */
  readonly namespace?: string;
  /** Connections in this instance's pool (default 5), plus one for LISTEN. */
  readonly maxConnections?: number;
  /** How long to wait for a connection before STATEPROOF_BACKEND_UNAVAILABLE (default 5000 ms). */
  readonly connectTimeoutMs?: number;
  /** How often tails and subscriptions look for changes when no notification woke them (default 500 ms). */
  readonly pollIntervalMs?: number;
  /**
   * Send NOTIFY on log appends and enqueues (default true). NOTIFY takes a database-wide lock at
   * commit; turn it off under heavy write load or behind a transaction-mode pooler: readers poll anyway.
   */
  readonly notify?: boolean;
  /**
   * Prepare the queue's hot statements (claim, complete) once per connection instead of parsing and
   * planning them at every call (default true). Turn it off behind a transaction-mode pooler that
   * does not carry prepared statements across server connections (PgBouncer before 1.21).
   */
  readonly prepareStatements?: boolean;
  /** Declared tolerance of expiries observed through the server clock (default 50 ms): how late a client may see one. */
  readonly expiryToleranceMs?: number;
  /** Dataspace changes kept for subscribers behind the newest (default 10 000); one further behind resynchronises. */
  readonly changeRetention?: number;
  /**
   * Tests only: take time from this clock instead of the server's, so that conformance can check
   * expiry exactly. Every process must then share the clock; production never sets it.
   */
  readonly clock?: Clock;
  /** Randomness of backoff jitter, in [0, 1) (default Math.random). */
  readonly random?: () => number;
  /** Test seams for the conformance suite (`beforeLeaseJudgement`); production never sets them. */
  readonly testHooks?: AdapterTestHooks;
}

/** Options with defaults filled in. */
export interface ResolvedPostgresOptions {
  /** Connection URL. */
  readonly url: string;
  /** The schema the adapter owns. */
  readonly schema: string;
  /** Connections in the pool. */
  readonly maxConnections: number;
  /** How long to wait for a connection, in ms. */
  readonly connectTimeoutMs: number;
  /** How often tails and subscriptions poll when no notification woke them, in ms. */
  readonly pollIntervalMs: number;
  /** Whether log appends and enqueues send NOTIFY. */
  readonly notify: boolean;
  /** Whether the queue's hot statements are prepared once per connection. */
  readonly prepareStatements: boolean;
  /** Declared tolerance of expiries observed through the server clock, in ms. */
  readonly expiryToleranceMs: number;
  /** Dataspace changes kept for subscribers behind the newest. */
  readonly changeRetention: number;
  /** The injected clock of tests; undefined in production (time is the server's). */
  readonly clock: Clock | undefined;
  /** Randomness of backoff jitter. */
  readonly random: () => number;
  /** Test seams for the conformance suite. */
  readonly testHooks: AdapterTestHooks;
}

const KEYS = [
  'url',
  'namespace',
  'maxConnections',
  'connectTimeoutMs',
  'pollIntervalMs',
  'notify',
  'prepareStatements',
  'expiryToleranceMs',
  'changeRetention',
  'clock',
  'random',
  'testHooks',
];

/** A URL for messages (core's redactUrl, kept here for the package's users). */
export { redactUrl };

/** Validates the options (STATEPROOF_INVALID_OPTIONS with the offending path) and fills in defaults. */
export function resolveOptions(options: PostgresAdapterOptions): ResolvedPostgresOptions {
  const o = optionObject(options, '', KEYS) as PostgresAdapterOptions;
  const url = o.url ?? DEFAULT_PG_URL;
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')) {
    // The URL may hold a password: say what is wrong without echoing it.
    const what = typeof url !== 'string' ? typeof url : parsed ? `a ${parsed.protocol} URL` : 'text that is not a URL';
    throw new InvalidOptionsError(`url must be a postgres:// or postgresql:// URL, got ${what}`, {
      path: 'url',
      hint: `Pass a URL such as ${DEFAULT_PG_URL} (or set STATEPROOF_PG_URL for the CLI).`,
    });
  }
  const schema = o.namespace ?? 'stateproof';
  validateSchemaName(schema);
  if (o.clock !== undefined && (typeof o.clock !== 'object' || o.clock === null || typeof o.clock.now !== 'function')) {
    throw new InvalidOptionsError('clock must be an object with now()', { path: 'clock' });
  }
  if (o.random !== undefined && typeof o.random !== 'function')
    throw new InvalidOptionsError('random must be a function returning [0, 1)', { path: 'random' });
  return {
    url,
    schema,
    maxConnections: optionalInt(o.maxConnections, 'maxConnections', { min: 1, max: 1000 }) ?? 5,
    connectTimeoutMs: optionalInt(o.connectTimeoutMs, 'connectTimeoutMs', { min: 1, max: 600_000 }) ?? 5000,
    pollIntervalMs: optionalInt(o.pollIntervalMs, 'pollIntervalMs', { min: 1, max: 3_600_000 }) ?? 500,
    notify: optionalBoolean(o.notify, 'notify') ?? true,
    prepareStatements: optionalBoolean(o.prepareStatements, 'prepareStatements') ?? true,
    expiryToleranceMs:
      optionalInt(o.expiryToleranceMs, 'expiryToleranceMs', { min: 0, max: 3_600_000 }) ?? DEFAULT_EXPIRY_TOLERANCE_MS,
    changeRetention: optionalInt(o.changeRetention, 'changeRetention', { min: 1 }) ?? 10_000,
    clock: o.clock,
    random: o.random ?? Math.random,
    testHooks: o.testHooks ?? {},
  };
}
