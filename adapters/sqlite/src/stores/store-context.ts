import type { AdapterLifecycle, BeforeLeaseJudgement, Clock } from '@stateproof/core/adapter-kit';
import type { ChangeFeed } from '../database/change-feed.js';
import type { SqliteExecutor } from '../database/executor.js';
import type { StatementCache } from '../database/statement-cache.js';
import type { NamespaceTables } from '../schema/namespace-tables.js';
import type { Counters } from './counters.js';

/** What every store of one adapter instance shares: its connection, tables, clock and lifecycle. */
export interface StoreContext {
  readonly exec: SqliteExecutor;
  readonly sql: StatementCache;
  readonly tables: NamespaceTables;
  readonly counters: Counters;
  readonly clock: Clock;
  readonly lifecycle: AdapterLifecycle;
  readonly feed: ChangeFeed;
  readonly random: () => number;
  /** Test seam (AdapterTestHooks), called inside lease-judged writes (see lease-judgement.ts). */
  readonly beforeLeaseJudgement?: BeforeLeaseJudgement;
}
