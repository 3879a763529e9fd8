import type { QueueBinding } from '@stateproof/core';
import { PostgresAdapter } from '../../postgres-adapter.js';
import { PgQueueStore } from '../../stores/pg-queue-store.js';

/**
 * The Postgres adapter whose queue stores are instances of `Store`, a subclass of the honest store
 * that overrides one seam. The adapter builds its queue store from private parts, so the mutant
 * re-prototypes the store it built: only the overridden seam changes.
 */
export function adapterWithQueueStore(Store: typeof PgQueueStore): typeof PostgresAdapter {
  return class extends PostgresAdapter {
    override async openQueue(binding: QueueBinding): Promise<PgQueueStore> {
      return Object.setPrototypeOf(await super.openQueue(binding), Store.prototype) as PgQueueStore;
    }
  };
}
