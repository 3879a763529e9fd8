import type { AdapterLifecycle, AdapterTestHooks } from '@stateproof/core/adapter-kit';
import type { NamespaceKeys, SurfaceKeys } from '../client/key-layout.js';
import type { RedisConnection } from '../client/redis-connection.js';
import type { ScriptRunner } from '../client/script-runner.js';
import type { RedisSubscriber } from '../client/redis-subscriber.js';

/** What every store of one surface works with. */
export interface RedisStoreContext {
  /** Runs the library's scripts (operation ids, retries, typed errors). */
  readonly runner: ScriptRunner;
  /** The adapter's command connection, for the few plain commands outside scripts. */
  readonly connection: RedisConnection;
  /**
   * The adapter's pub/sub connection: wake-up hints (scripts PUBLISH on the surface's `wake`
   * channel, `keys.fixed('wake')`) and channel messages. Hints only: every waiter also polls.
   */
  readonly subscriber: RedisSubscriber;
  /** Keys of the adapter's namespace (counters shared by its surfaces). */
  readonly ns: NamespaceKeys;
  /** Keys of this surface. */
  readonly keys: SurfaceKeys;
  /** Whether Redis may expire keys by itself: not under an injected clock, whose instants are not the server's. */
  readonly serverExpiry: boolean;
  /** Tests only. */
  readonly testHooks: AdapterTestHooks;
  readonly lifecycle: AdapterLifecycle;
  readonly pollIntervalMs: number;
  /** Randomness of backoff jitter. */
  readonly random: () => number;
}
