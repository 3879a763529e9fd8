import { MemoryQueueStore, newQueueSpace, type MemoryTask } from '../../memory-queue-store.js';
import type { QueueStore, QueueBinding } from '@stateproof/core/adapter-kit';
import type { Mutant } from '@stateproof/conformance';
import { MemoryAdapter } from '../../memory-adapter.js';
import { mutantTarget, type MutantAdapterClass } from './mutant-target.js';

type StoreClass = new (...args: ConstructorParameters<typeof MemoryQueueStore>) => MemoryQueueStore;

/** The memory adapter with its queue store replaced by `Store`. */
export function withQueueStore(Store: StoreClass): MutantAdapterClass {
  return class extends MemoryAdapter {
    override async openQueue(binding: QueueBinding): Promise<QueueStore> {
      this.lifecycle.assertOpen();
      return new Store(this.ns.space('queue', binding.space, newQueueSpace), this.ns, binding, this.clock, this.random);
    }
  };
}

/** Claim forgets to exclude running tasks: a task is handed to a second worker while the first lease holds. */
class DoubleClaim extends MemoryQueueStore {
  protected override candidates(queues: readonly string[], now: number): MemoryTask[] {
    const running = [...this.space.tasks.values()].filter(
      (t) => t.state === 'running' && (queues.length === 0 || queues.includes(t.queue)),
    );
    return [...super.candidates(queues, now), ...running];
  }
}

/** The reaper only looks at attempts started through this process (the django-ray bug). */
class ReaperOwnWorkerOnly extends MemoryQueueStore {
  private readonly mine = new Set<string>();
  override async claim(options: Parameters<MemoryQueueStore['claim']>[0]) {
    const tasks = await super.claim(options);
    for (const t of tasks) this.mine.add(t.id);
    return tasks;
  }
  protected override reapable(): MemoryTask[] {
    return super.reapable().filter((t) => this.mine.has(t.id));
  }
}

/** The retry decision is off by one: a task gets one attempt more than its maximum. */
class RetryPastMax extends MemoryQueueStore {
  protected override retryOrFail(t: MemoryTask, now: number, retry: boolean) {
    if (retry && t.attempts === t.maxAttempts) {
      t.maxAttempts += 1;
      const r = super.retryOrFail(t, now, retry);
      t.maxAttempts -= 1;
      return r;
    }
    return super.retryOrFail(t, now, retry);
  }
}

/** A cancel request is recorded but the heartbeat never reports it, so the worker never stops. */
class CancelLost extends MemoryQueueStore {
  override async heartbeat(id: string, token: string, leaseMs: number) {
    const r = await super.heartbeat(id, token, leaseMs);
    return { ...r, cancelRequested: false };
  }
}

/** complete() checks that the task runs, but not whose attempt it is nor whether its lease expired. */
class NoFencingOnComplete extends MemoryQueueStore {
  override async complete(id: string, _token: string, result: string | null): Promise<void> {
    const t = this.space.tasks.get(id);
    if (t?.state === 'running')
      return super.complete(id, t.token as string, result).catch(() => {
        t.state = 'succeeded';
        t.result = result;
      });
    return super.complete(id, _token, result);
  }
  protected override attempt(id: string, token: string, operation: string): MemoryTask {
    const t = this.space.tasks.get(id);
    if (operation === 'complete' && t?.state === 'running') return t;
    return super.attempt(id, token, operation);
  }
}

/** Backoff ignores its cap. */
class BackoffUncapped extends MemoryQueueStore {
  protected override retryOrFail(t: MemoryTask, now: number, retry: boolean) {
    const r = super.retryOrFail(t, now, retry);
    if (r.state === 'queued') {
      t.runAt = now + this.binding.retry.baseDelayMs * this.binding.retry.factor ** (t.attempts - 1);
      return { state: 'queued' as const, runAt: t.runAt };
    }
    return r;
  }
}

/** Claims in enqueue order only: priority and due time are ignored in the ordering (a missing ORDER BY term). */
class FifoIgnoresPriority extends MemoryQueueStore {
  protected override candidates(queues: readonly string[], now: number): MemoryTask[] {
    return super.candidates(queues, now).sort((a, b) => a.seq - b.seq);
  }
}

/** A heartbeat extends the lease by leaseMs from now, ignoring the attempt's maximum runtime. */
class HeartbeatPastMaxRuntime extends MemoryQueueStore {
  override async heartbeat(id: string, token: string, leaseMs: number) {
    const r = await super.heartbeat(id, token, leaseMs);
    const t = this.space.tasks.get(id) as MemoryTask;
    t.leaseExpiresAt = this.clock.now() + leaseMs;
    return { ...r, leaseExpiresAt: t.leaseExpiresAt };
  }
}

/** The queue mutants. */
export const QUEUE_MUTANTS: readonly Mutant[] = [
  {
    name: 'queue-claim-ignores-priority',
    kind: 'queue',
    bug: 'claim takes tasks in enqueue order, ignoring priority and due time',
    breaks: ['QUE-005'],
    target: () => mutantTarget('queue-claim-ignores-priority', withQueueStore(FifoIgnoresPriority)),
  },
  {
    name: 'queue-double-claim',
    kind: 'queue',
    bug: 'claim hands out a task that another worker holds under an unexpired lease',
    breaks: ['QUE-006'],
    target: () => mutantTarget('queue-double-claim', withQueueStore(DoubleClaim)),
  },
  {
    name: 'queue-reaper-own-worker-only',
    kind: 'queue',
    bug: "the reaper only recovers attempts started by its own process, so a dead worker's tasks stay running",
    breaks: ['QUE-023'],
    target: () => mutantTarget('queue-reaper-own-worker-only', withQueueStore(ReaperOwnWorkerOnly)),
  },
  {
    name: 'queue-retry-past-max-attempts',
    kind: 'queue',
    bug: 'a task is retried once more than its maximum attempts',
    breaks: ['QUE-015'],
    target: () => mutantTarget('queue-retry-past-max-attempts', withQueueStore(RetryPastMax)),
  },
  {
    name: 'queue-cancel-lost',
    kind: 'queue',
    bug: 'a cancel request of a running task is never delivered in the heartbeat reply',
    breaks: ['QUE-019'],
    target: () => mutantTarget('queue-cancel-lost', withQueueStore(CancelLost)),
  },
  {
    name: 'queue-no-fencing-on-complete',
    kind: 'queue',
    bug: 'complete accepts a stale token or an expired lease',
    breaks: ['QUE-010'],
    target: () => mutantTarget('queue-no-fencing-on-complete', withQueueStore(NoFencingOnComplete)),
  },
  {
    name: 'queue-backoff-uncapped',
    kind: 'queue',
    bug: 'retry delays grow past maxDelayMs',
    breaks: ['QUE-014'],
    target: () => mutantTarget('queue-backoff-uncapped', withQueueStore(BackoffUncapped)),
  },
  {
    name: 'queue-heartbeat-past-max-runtime',
    kind: 'queue',
    bug: "a heartbeat extends the lease past the attempt's start plus maxRuntimeMs",
    breaks: ['QUE-011'],
    target: () => mutantTarget('queue-heartbeat-past-max-runtime', withQueueStore(HeartbeatPastMaxRuntime)),
  },
];
