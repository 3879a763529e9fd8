import type {
  CancelResult,
  EnqueueResult,
  FailResult,
  HeartbeatResult,
  ClaimedTask,
  EnqueueSpec,
  QueueClaimOptions,
  QueueCounters,
  QueueStore,
  TaskInfo,
} from '../adapter/queue-store.js';
import type { ReapReport } from '../queue/reap-report.js';
import type { StoreGuard } from './store-guard.js';

/**
 * A queue store behind core's guard: refused once closed; idempotency keys, priorities, due times,
 * batches and cancellation only when claimed.
 */
export class GuardedQueueStore implements QueueStore {
  constructor(
    private readonly store: QueueStore,
    private readonly guard: StoreGuard,
  ) {}

  /** Refuses the optional features `spec` uses that the adapter does not claim. */
  private needs(spec: EnqueueSpec): void {
    if (spec.idempotencyKey !== undefined) this.guard.need('idempotency', 'enqueue with an idempotency key');
    if (spec.priority !== undefined && spec.priority !== 0) this.guard.need('priority', 'task priorities');
    if (spec.runAt !== undefined) this.guard.need('delay', 'delayed tasks');
  }

  async enqueue(spec: EnqueueSpec): Promise<EnqueueResult> {
    this.guard.open();
    this.needs(spec);
    return this.store.enqueue(spec);
  }

  async enqueueMany(specs: readonly EnqueueSpec[]): Promise<EnqueueResult[]> {
    this.guard.open();
    this.guard.need('batch', 'atomic enqueueMany');
    for (const spec of specs) this.needs(spec);
    return this.store.enqueueMany(specs);
  }

  async claim(options: QueueClaimOptions): Promise<ClaimedTask[]> {
    this.guard.open();
    return this.store.claim(options);
  }

  async heartbeat(id: string, token: string, leaseMs: number): Promise<HeartbeatResult> {
    this.guard.open();
    return this.store.heartbeat(id, token, leaseMs);
  }

  async complete(id: string, token: string, result: string | null): Promise<void> {
    this.guard.open();
    return this.store.complete(id, token, result);
  }

  async fail(id: string, token: string, error: string, options?: { readonly retry?: boolean }): Promise<FailResult> {
    this.guard.open();
    return this.store.fail(id, token, error, options);
  }

  async cancel(id: string): Promise<CancelResult> {
    this.guard.open();
    this.guard.need('cancel', 'cancellation');
    return this.store.cancel(id);
  }

  async acknowledgeCancel(id: string, token: string): Promise<void> {
    this.guard.open();
    this.guard.need('cancel', 'cancellation');
    return this.store.acknowledgeCancel(id, token);
  }

  async reap(): Promise<ReapReport> {
    this.guard.open();
    return this.store.reap();
  }

  async prune(limit: number): Promise<number> {
    this.guard.open();
    return this.store.prune(limit);
  }

  async get(id: string): Promise<TaskInfo | null> {
    this.guard.open();
    return this.store.get(id);
  }

  async counters(): Promise<QueueCounters> {
    this.guard.open();
    return this.store.counters();
  }
}
