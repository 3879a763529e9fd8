import {
  attemptLost,
  type ClaimBinding,
  type ClaimRecord,
  type ClaimStore,
  type QueueBinding,
  type QueueStore,
} from '@stateproof/core/adapter-kit';
import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import { MemoryAdapter } from '../../memory-adapter.js';
import { MemoryBackend } from '../../memory-backend.js';
import { MemoryClaimStore, newClaimSpace } from '../../memory-claim-store.js';
import { MemoryQueueStore, newQueueSpace, type MemoryTask } from '../../memory-queue-store.js';

/**
 * A holder's write reads the time when the call arrives and judges the lease with that reading
 * after the wait inside the write (the write delay stands for a lock wait): a lease that expired
 * during the wait is renewed, completed, released or abandoned all the same.
 */
class StaleClaimJudgement extends MemoryClaimStore {
  private arrivedAt: number | undefined;
  protected override async leaseJudgement(operation: string, key: string): Promise<void> {
    const at = this.clock.now();
    await super.leaseJudgement(operation, key);
    this.arrivedAt = at;
  }
  protected override expired(c: ClaimRecord, now: number): boolean {
    return super.expired(c, this.arrivedAt ?? now);
  }
  protected override holderOf(key: string, token: number, operation: string) {
    try {
      return super.holderOf(key, token, operation);
    } finally {
      this.arrivedAt = undefined;
    }
  }
}

/** The same bug in the writes of a task's attempt: heartbeat, complete, fail and acknowledgeCancel. */
class StaleAttemptJudgement extends MemoryQueueStore {
  private arrivedAt: number | undefined;
  protected override async leaseJudgement(operation: string, id: string): Promise<void> {
    const at = this.clock.now();
    await super.leaseJudgement(operation, id);
    this.arrivedAt = at;
  }
  protected override attempt(id: string, token: string, operation: string): MemoryTask {
    const t = this.space.tasks.get(id);
    const lost = attemptLost(operation, id, token, t, this.arrivedAt ?? this.clock.now());
    this.arrivedAt = undefined;
    if (lost) throw lost;
    return t as MemoryTask;
  }
}

class StaleJudgementAdapter extends MemoryAdapter {
  override async openClaim(binding: ClaimBinding): Promise<ClaimStore> {
    this.lifecycle.assertOpen();
    const space = this.ns.space('claim', binding.space, newClaimSpace);
    return new StaleClaimJudgement(space, this.clock, this.testHooks.beforeLeaseJudgement);
  }
  override async openQueue(binding: QueueBinding): Promise<QueueStore> {
    this.lifecycle.assertOpen();
    const space = this.ns.space('queue', binding.space, newQueueSpace);
    return new StaleAttemptJudgement(
      space,
      this.ns,
      binding,
      this.clock,
      this.random,
      this.testHooks.beforeLeaseJudgement,
    );
  }
}

/** A target for the mutant adapter that honours the write delay, as the memory target does. */
function staleJudgementTarget(name: string): ConformanceTarget {
  const backend = new MemoryBackend();
  return {
    name: `mutant:${name}`,
    create: ({ namespace, clock, writeDelay }) =>
      new StaleJudgementAdapter({
        namespace,
        clock,
        backend,
        ...(writeDelay ? { testHooks: { beforeLeaseJudgement: writeDelay } } : {}),
      }),
    dispose: (namespace) => backend.drop(namespace),
    writeDelay: true,
  };
}

/** Mutants whose lease is judged by a time read before the write waited (issue 12, defect 6). */
export const WRITE_DELAY_MUTANTS: readonly Mutant[] = [
  {
    name: 'claim-lease-judged-before-write',
    kind: 'claim',
    bug: "a holder's write judges the lease by the time it read before waiting inside the write",
    breaks: ['CLM-007'],
    properties: ['claim/lease-at-write'],
    target: () => staleJudgementTarget('claim-lease-judged-before-write'),
  },
  {
    name: 'queue-lease-judged-before-write',
    kind: 'queue',
    bug: "a worker's write of an attempt judges the lease by the time it read before waiting inside the write",
    breaks: ['QUE-010'],
    properties: ['queue/lease-at-write'],
    target: () => staleJudgementTarget('queue-lease-judged-before-write'),
  },
];
