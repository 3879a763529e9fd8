import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import type { QueueBinding } from '@stateproof/core';
import { PostgresAdapter } from '../../postgres-adapter.js';
import { PgQueueStore } from '../../stores/pg-queue-store.js';
import { postgresTarget } from '../postgres-target.js';
import { sharedPostgresUnavailable, sharedPostgresUrl } from './shared-server.js';

/** The queue store whose prune counts the retention window from the enqueue, not the finish. */
class PruneFromEnqueueStore extends PgQueueStore {
  protected override retainedFrom(): 'finished_at' | 'enqueued_at' {
    return 'enqueued_at';
  }
}

/**
 * The Postgres adapter with that store. The adapter builds its queue store from private parts, so
 * the mutant re-prototypes the store it built: only `retainedFrom` changes.
 */
class PruneFromEnqueueAdapter extends PostgresAdapter {
  override async openQueue(binding: QueueBinding): Promise<PgQueueStore> {
    return Object.setPrototypeOf(await super.openQueue(binding), PruneFromEnqueueStore.prototype) as PgQueueStore;
  }
}

/**
 * The shared-server Postgres target with that adapter: the real target, one class swapped. On the
 * suite's clock, so that a task can run for most of its window before it finishes (on a server clock
 * queue/retention finishes tasks at once, when enqueue and finish are one instant).
 */
function pruneFromEnqueueTarget(): ConformanceTarget {
  return {
    ...postgresTarget({ url: sharedPostgresUrl(), injectClock: true, adapter: PruneFromEnqueueAdapter }),
    name: 'mutant:postgres-prune-from-enqueue',
  };
}

/** Postgres mutants of retention (spec/contract/queue.md QUE-037), caught by queue/retention. */
export const POSTGRES_RETENTION_MUTANTS: readonly Mutant[] = [
  {
    name: 'postgres-prune-from-enqueue',
    kind: 'queue',
    bug: 'the prune statement counts the retention window from enqueued_at instead of finished_at, so a task that ran long is pruned within its window',
    breaks: ['QUE-037'],
    properties: ['queue/retention'],
    target: pruneFromEnqueueTarget,
    unavailable: () => sharedPostgresUnavailable(),
  },
];
