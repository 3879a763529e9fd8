import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import { PgQueueStore } from '../../stores/pg-queue-store.js';
import { postgresTarget } from '../postgres-target.js';
import { adapterWithQueueStore } from './queue-store-swap.js';
import { sharedPostgresUnavailable, sharedPostgresUrl } from './shared-server.js';

/** The store class whose claim of a surface without concurrency limits orders by `order`. */
function wrongOrderStore(order: string): typeof PgQueueStore {
  return class extends PgQueueStore {
    protected override claimOrder(): string {
      return order;
    }
  };
}

/** A target of the adapter with claim order `order` on the shared server: the real target, one class swapped. */
function orderTarget(name: string, order: string): ConformanceTarget {
  return {
    ...postgresTarget({ url: sharedPostgresUrl(), adapter: adapterWithQueueStore(wrongOrderStore(order)) }),
    name: `mutant:${name}`,
  };
}

// Each orders the plain claim statement (no concurrency limits) wrongly; the limited one stays right.
const ORDERS = [
  ['postgres-claim-order-ignores-priority', 'run_at, id', 'the claim without limits ignores priority'],
  [
    'postgres-claim-order-due-before-priority',
    'run_at, priority desc, id',
    'the claim without limits orders by due time before priority',
  ],
  [
    'postgres-claim-order-newest-first',
    'priority desc, run_at, id desc',
    'the claim without limits takes the newest of equal tasks first',
  ],
] as const;

/** Postgres mutants whose claim statement of a surface without limits takes tasks out of contract order. */
export const POSTGRES_QUEUE_ORDER_MUTANTS: readonly Mutant[] = ORDERS.map(([name, order, bug]) => ({
  name,
  kind: 'queue',
  bug: `${bug} (order by ${order})`,
  breaks: ['QUE-005'],
  target: () => orderTarget(name, order),
  properties: ['queue/claim-order'],
  unavailable: () => sharedPostgresUnavailable(),
}));
