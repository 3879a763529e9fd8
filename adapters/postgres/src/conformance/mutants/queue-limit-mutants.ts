import type { Mutant } from '@stateproof/conformance';
import { PgQueueStore } from '../../stores/pg-queue-store.js';
import { postgresTarget } from '../postgres-target.js';
import { adapterWithQueueStore } from './queue-store-swap.js';
import { sharedPostgresUnavailable, sharedPostgresUrl } from './shared-server.js';

/** A store whose claim under a global limit alone counts no running attempt: every claim may take G more. */
class GlobalLimitIgnoresRunningStore extends PgQueueStore {
  protected override globalSlotsTaken(): string {
    return 'select 0';
  }
}

/** A store whose claim under a per-queue limit counts no running attempt of the queue: P more each claim. */
class QueueLimitIgnoresRunningStore extends PgQueueStore {
  protected override queueSlotsTaken(): string {
    return '0';
  }
}

/** The mutant `name`, the honest store but for `Store`, caught by queue/model. */
function limitMutant(name: string, Store: typeof PgQueueStore, bug: string): Mutant {
  return {
    name,
    kind: 'queue',
    bug,
    breaks: ['QUE-007'],
    target: () => ({
      ...postgresTarget({ url: sharedPostgresUrl(), adapter: adapterWithQueueStore(Store) }),
      name: `mutant:${name}`,
    }),
    properties: ['queue/model'],
    unavailable: () => sharedPostgresUnavailable(),
  };
}

/**
 * Postgres mutants of the claim under concurrency limits. The claim under a global limit alone and
 * the one under a per-queue limit are different statements, so queue/model runs each combination of
 * limits, and must catch both.
 */
export const POSTGRES_QUEUE_LIMIT_MUTANTS: readonly Mutant[] = [
  limitMutant(
    'postgres-global-limit-ignores-running',
    GlobalLimitIgnoresRunningStore,
    'the claim under a global concurrency limit alone ignores the attempts already running, so each claim may start G more',
  ),
  limitMutant(
    'postgres-queue-limit-ignores-running',
    QueueLimitIgnoresRunningStore,
    'the claim under a per-queue concurrency limit ignores the attempts of the queue already running, so each claim may start P more in it',
  ),
];
