import type { AdapterLifecycle, BeforeLeaseJudgement, DataspaceBinding } from '@stateproof/core/adapter-kit';
import type { PgDatabase } from '../db/pg-database.js';
import type { PgListener } from '../notify/pg-listener.js';

/** What every store of a surface reaches of the adapter; each store's context adds its own settings. */
export interface PgStoreContext {
  readonly db: PgDatabase;
  /** The quoted schema. */
  readonly s: string;
  /** The NOTIFY channel of this surface. */
  readonly channel: () => Promise<string>;
  readonly listener: PgListener;
}

/** A store context for surfaces whose rows carry the surface's space id. */
export interface PgSpaceContext extends PgStoreContext {
  readonly spaceId: () => Promise<number>;
}

/** How a queue store reaches the rest of the adapter. */
export interface PgQueueContext extends PgSpaceContext {
  /** The schema's name, for the advisory lock of limited claims. */
  readonly schema: string;
  /** Whether enqueues send NOTIFY. */
  readonly notify: boolean;
  /** Randomness of backoff jitter, in [0, 1). */
  readonly random: () => number;
  /** Test seam (AdapterTestHooks), see leaseJudged. */
  readonly beforeLeaseJudgement?: BeforeLeaseJudgement;
}

/** How a dataspace store reaches the rest of the adapter. */
export interface PgDataspaceContext extends PgSpaceContext {
  readonly lifecycle: AdapterLifecycle;
  readonly pollIntervalMs: number;
  /** Changes kept in the feed behind the newest; a subscriber further behind resynchronises. */
  readonly changeRetention: number;
  /** What is kept of ended sessions (the binding's `retention`), read when pruning. */
  readonly retention: DataspaceBinding['retention'];
}
