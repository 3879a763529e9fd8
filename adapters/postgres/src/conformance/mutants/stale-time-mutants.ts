import type { ClaimBinding, ClaimStore, QueueBinding, QueueStore } from '@stateproof/core/adapter-kit';
import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import { PostgresAdapter } from '../../postgres-adapter.js';
import { PgClaimStore } from '../../stores/pg-claim-store.js';
import { PgQueueStore } from '../../stores/pg-queue-store.js';
import { postgresTarget } from '../postgres-target.js';
import { sharedPostgresUnavailable, sharedPostgresUrl } from './shared-server.js';

/**
 * A holder's write judges the lease by `now()`, the start of its transaction, instead of the
 * instant it acts: a renew or complete that waited for the row lock past the expiry is accepted.
 */
class TransactionStartClaimStore extends PgClaimStore {
  protected override get judgedAt(): string {
    return 'floor(extract(epoch from now()) * 1000)::bigint';
  }
}

/**
 * The same bug in the writes of a task's attempt that go through the queue store (heartbeat, fail,
 * acknowledgeCancel; completions are batched by a statement of their own).
 */
class TransactionStartQueueStore extends PgQueueStore {
  protected override get judgedAt(): string {
    return 'floor(extract(epoch from now()) * 1000)::bigint';
  }
}

/** The Postgres adapter whose claim and queue stores judge leases by the transaction's start. */
class TransactionStartAdapter extends PostgresAdapter {
  override async openClaim(binding: ClaimBinding): Promise<ClaimStore> {
    // The real store, with the one judgement swapped: its fields are the adapter's own.
    return Object.setPrototypeOf(await super.openClaim(binding), TransactionStartClaimStore.prototype) as ClaimStore;
  }
  override async openQueue(binding: QueueBinding): Promise<PgQueueStore & QueueStore> {
    return Object.setPrototypeOf(await super.openQueue(binding), TransactionStartQueueStore.prototype) as PgQueueStore;
  }
}

/** The real Postgres target (server clock, write delay) over the mutant adapter. */
function transactionStartTarget(name: string): ConformanceTarget {
  return { ...postgresTarget({ url: sharedPostgresUrl(), adapter: TransactionStartAdapter }), name: `mutant:${name}` };
}

/** Mutants whose lease is judged by a time read before the write waited (issue 12, defect 6). */
export const STALE_TIME_MUTANTS: readonly Mutant[] = [
  {
    name: 'postgres-claim-lease-judged-at-transaction-start',
    kind: 'claim',
    bug: "a holder's write judges the lease by now() (its transaction's start), not by the instant it acts after the lock wait",
    breaks: ['CLM-007'],
    properties: ['claim/lease-at-write'],
    target: () => transactionStartTarget('postgres-claim-lease-judged-at-transaction-start'),
    unavailable: () => sharedPostgresUnavailable(),
  },
  {
    name: 'postgres-queue-lease-judged-at-transaction-start',
    kind: 'queue',
    bug: "a worker's heartbeat, fail or acknowledgeCancel judges the lease by now() (its transaction's start), not by the instant it acts",
    breaks: ['QUE-010'],
    properties: ['queue/lease-at-write'],
    target: () => transactionStartTarget('postgres-queue-lease-judged-at-transaction-start'),
    unavailable: () => sharedPostgresUnavailable(),
  },
];
