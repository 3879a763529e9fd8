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

const NAME = 'postgres-global-limit-ignores-running';

/**
 * Postgres mutants of the claim under concurrency limits. The claim under a global limit alone is
 * its own statement (it reads the due tasks through the index instead of ranking them per queue), so
 * queue/model runs that combination too, and must catch this one.
 */
export const POSTGRES_QUEUE_LIMIT_MUTANTS: readonly Mutant[] = [
  {
    name: NAME,
    kind: 'queue',
    bug: 'the claim under a global concurrency limit alone ignores the attempts already running, so each claim may start G more',
    breaks: ['QUE-007'],
    target: () => ({
      ...postgresTarget({ url: sharedPostgresUrl(), adapter: adapterWithQueueStore(GlobalLimitIgnoresRunningStore) }),
      name: `mutant:${NAME}`,
    }),
    properties: ['queue/model'],
    unavailable: () => sharedPostgresUnavailable(),
  },
];
