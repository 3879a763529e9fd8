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
