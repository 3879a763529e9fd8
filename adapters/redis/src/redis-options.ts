import {
  InvalidOptionsError,
  optionalInt,
  optionObject,
  validateKey,
  type AdapterTestHooks,
  type Clock,
} from '@stateproof/core/adapter-kit';
import { StateproofError } from '@stateproof/spec';

/** Where the adapter connects when no URL is given: a local server without a password. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Default declared tolerance of expiries observed through the server clock, in ms. */
export const DEFAULT_REDIS_EXPIRY_TOLERANCE_MS = 50;

/** Options of {@link redisAdapter}. */
export interface RedisAdapterOptions {
  /** `redis://[user:password@]host:port[/db]`, `rediss://…` for TLS, or `unix:///path/to/socket` (default {@link DEFAULT_REDIS_URL}). */
  readonly url?: string;
  /** The key namespace the adapter owns: every key starts with `{sp1:<namespace>}` (default `stateproof`). */
  readonly namespace?: string;
  /** How long to wait for a connection before STATEPROOF_BACKEND_UNAVAILABLE (default 5000 ms). */
  readonly connectTimeoutMs?: number;
  /**
   * How long a script may wait for its reply before the connection counts as stuck (default 10 000
   * ms): it is dropped and made again, and the calls in flight are retried within `retryWindowMs`
   * (writes under their operation ids, so applied once).
   */
  readonly commandTimeoutMs?: number;
  /**
   * How long an operation keeps trying after the connection broke before it fails with the
   * retryable STATEPROOF_BACKEND_UNAVAILABLE (default 2000 ms). A write retried in that window
   * carries its first attempt's operation id, so it is applied once.
   */
  readonly retryWindowMs?: number;
  /**
   * How long the reply of a write is kept under its operation id: the window in which a copy of the
   * write, retried after its reply was lost, finds it. A retry comes within `retryWindowMs` of the
   * call, and a first copy that runs at all runs before its connection is given up, within
   * `commandTimeoutMs`; so the default is twice their sum, at least 60 000 ms, and a shorter value is
   * refused.
   */
  readonly operationTtlMs?: number;
  /** How often tails and subscriptions look for changes when no wake-up reached them (default 500 ms). */
  readonly pollIntervalMs?: number;
  /** Declared tolerance of expiries observed through the server clock (default 50 ms). */
  readonly expiryToleranceMs?: number;
  /** Dataspace changes kept for subscribers behind the newest (default 10 000); one further behind resynchronises. */
  readonly changeRetention?: number;
  /**
   * Tests only: scripts take their time from this clock instead of the server's `TIME`, so that
   * conformance can check expiry exactly. Every process must then share the clock; production never sets it.
   */
  readonly clock?: Clock;
  /** Randomness of backoff jitter, in [0, 1) (default Math.random). */
  readonly random?: () => number;
  /** Test seams for the conformance suite (`beforeLeaseJudgement`); production never sets them. */
  readonly testHooks?: AdapterTestHooks;
}

/** Options with defaults filled in. */
export interface ResolvedRedisOptions {
  /** Connection URL. */
  readonly url: string;
  /** The key namespace the adapter owns. */
  readonly namespace: string;
  /** How long to wait for a connection, in ms. */
  readonly connectTimeoutMs: number;
  /** How long a script may wait for its reply before the connection counts as stuck, in ms. */
  readonly commandTimeoutMs: number;
  /** How long an operation keeps trying after the connection broke, in ms. */
  readonly retryWindowMs: number;
  /** How long the reply of a write is kept under its operation id, in ms. */
  readonly operationTtlMs: number;
  /** How often tails and subscriptions poll when no wake-up reached them, in ms. */
  readonly pollIntervalMs: number;
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
  'connectTimeoutMs',
  'commandTimeoutMs',
  'retryWindowMs',
  'operationTtlMs',
  'pollIntervalMs',
  'expiryToleranceMs',
  'changeRetention',
  'clock',
  'random',
  'testHooks',
];

const PROTOCOLS = ['redis:', 'rediss:', 'unix:'];

/** Validates the options (STATEPROOF_INVALID_OPTIONS with the offending path) and fills in defaults. */
export function resolveRedisOptions(options: RedisAdapterOptions): ResolvedRedisOptions {
  const o = optionObject(options, '', KEYS) as RedisAdapterOptions;
  const url = o.url ?? DEFAULT_REDIS_URL;
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || !PROTOCOLS.includes(parsed.protocol)) {
    // The URL may hold a password: say what is wrong without echoing it.
    const what = typeof url !== 'string' ? typeof url : parsed ? `a ${parsed.protocol} URL` : 'text that is not a URL';
    throw new InvalidOptionsError(`url must be a redis://, rediss:// or unix:// URL, got ${what}`, {
      path: 'url',
      hint: `Pass a URL such as ${DEFAULT_REDIS_URL} (or set STATEPROOF_REDIS_URL for the CLI).`,
    });
  }
  const namespace = o.namespace ?? 'stateproof';
  try {
    validateKey(namespace, 'namespace');
  } catch (error) {
    throw new InvalidOptionsError((error as StateproofError).message, { path: 'namespace', cause: error });
  }
  if (o.clock !== undefined && (typeof o.clock !== 'object' || o.clock === null || typeof o.clock.now !== 'function'))
    throw new InvalidOptionsError('clock must be an object with now()', { path: 'clock' });
  if (o.random !== undefined && typeof o.random !== 'function')
    throw new InvalidOptionsError('random must be a function returning [0, 1)', { path: 'random' });
  if (o.testHooks !== undefined) optionObject(o.testHooks, 'testHooks', ['beforeLeaseJudgement']);
  const commandTimeoutMs = optionalInt(o.commandTimeoutMs, 'commandTimeoutMs', { min: 1, max: 3_600_000 }) ?? 10_000;
  const retryWindowMs = optionalInt(o.retryWindowMs, 'retryWindowMs', { min: 0, max: 600_000 }) ?? 2000;
  return {
    url,
    namespace,
    connectTimeoutMs: optionalInt(o.connectTimeoutMs, 'connectTimeoutMs', { min: 1, max: 600_000 }) ?? 5000,
    commandTimeoutMs,
    retryWindowMs,
    operationTtlMs: operationTtl(o, retryWindowMs, commandTimeoutMs),
    pollIntervalMs: optionalInt(o.pollIntervalMs, 'pollIntervalMs', { min: 1, max: 3_600_000 }) ?? 500,
    expiryToleranceMs:
      optionalInt(o.expiryToleranceMs, 'expiryToleranceMs', { min: 0, max: 3_600_000 }) ??
      DEFAULT_REDIS_EXPIRY_TOLERANCE_MS,
    changeRetention: optionalInt(o.changeRetention, 'changeRetention', { min: 1 }) ?? 10_000,
    clock: o.clock,
    random: o.random ?? Math.random,
    testHooks: o.testHooks ?? {},
  };
}

/** `operationTtlMs`, or its default: long enough for every retry of a write to find its first reply. */
function operationTtl(o: RedisAdapterOptions, retryWindowMs: number, commandTimeoutMs: number): number {
  const needed = retryWindowMs + commandTimeoutMs;
  const given = optionalInt(o.operationTtlMs, 'operationTtlMs', { min: 1000, max: 86_400_000 });
  if (given === undefined) return Math.max(60_000, 2 * needed);
  if (given < needed)
    throw new InvalidOptionsError(
      `operationTtlMs ${given} is shorter than retryWindowMs + commandTimeoutMs (${needed}): a write retried after a lost reply could run twice`,
      {
        path: 'operationTtlMs',
        hint: `Give operationTtlMs at least ${needed}, or leave it out (default ${Math.max(60_000, 2 * needed)}).`,
      },
    );
  return given;
}
