import type {
  HeartbeatResult,
  FailResult,
  EnqueueResult,
  CancelResult,
  AttemptRecord,
  ClaimedTask,
  EnqueueSpec,
  QueueCounters,
  QueueStore,
  TaskInfo,
} from '../../adapter/queue-store.js';
import type { ReapReport } from '../../queue/reap-report.js';
import { InvalidOptionsError } from '../../errors/input-errors.js';
import { validateKey } from '../../scope/validate-key.js';
import { MAX_PAGE } from '../../surface/defaults.js';
import { optionalBoolean, optionalInt, optionObject } from '../../validation/option-checks.js';
import type { HandleContext } from '../handle-context.js';
import { textField } from './text-field.js';

/** Options of {@link QueueHandle.enqueue}. */
export interface EnqueueOptions {
  /** Named queue within the surface (default `default`). */
  readonly queue?: string;
  /** Higher runs first (integer, default 0). */
  readonly priority?: number;
  /** Not before this instant. */
  readonly runAt?: Date | number;
  /** Not before now + delayMs. */
  readonly delayMs?: number;
  /** Overrides the surface's retry.maxAttempts. */
  readonly maxAttempts?: number;
  /** Deduplicates: a second enqueue with this key returns the first task. */
  readonly idempotencyKey?: string;
}

/** A task a worker holds: its payload, attempt number and lease token. */
export interface Task<P> extends Omit<ClaimedTask, 'payload'> {
  /** The payload, decoded. */
  readonly payload: P;
}

/** A task as stored, typed. */
export interface TaskView<P, R> extends Omit<TaskInfo, 'payload' | 'result'> {
  /** The payload, decoded. */
  readonly payload: P;
  /** The result of a succeeded task, decoded; null otherwise. */
  readonly result: R | null;
}

/** Identifies an attempt: the task id and the lease token of the attempt. */
export interface TaskRef {
  /** The task id. */
  readonly id: string;
  /** The lease token of the attempt. */
  readonly token: string;
}

const ENQUEUE_KEYS = ['queue', 'priority', 'runAt', 'delayMs', 'maxAttempts', 'idempotencyKey'];
const PRIORITY = { min: -(2 ** 31), max: 2 ** 31 - 1 };

function ref(task: unknown): TaskRef {
  const t = task as Partial<TaskRef> | null;
  if (typeof t !== 'object' || t === null || typeof t.id !== 'string' || typeof t.token !== 'string') {
    throw new InvalidOptionsError('task must be { id, token } as claim() returned it', { path: 'task' });
  }
  return { id: t.id, token: t.token };
}

/** Typed access to a queue surface (spec/contract/queue.md). At-least-once: make handlers idempotent or use a claim. */
export class QueueHandle<P, R> {
  /** @internal */
  constructor(private readonly ctx: HandleContext<QueueStore>) {}

  /** The surface id. */
  get id(): string {
    return this.ctx.surface.id;
  }

  private spec(payload: P, options: unknown, path: string): EnqueueSpec {
    const o = optionObject(options, path, ENQUEUE_KEYS);
    const at = (k: string) => (path ? `${path}.${k}` : k);
    const queue = (o['queue'] as string | undefined) ?? 'default';
    validateKey(queue, at('queue'));
    const priority = optionalInt(o['priority'], at('priority'), PRIORITY);
    const delayMs = optionalInt(o['delayMs'], at('delayMs'), { min: 0 });
    let runAt: number | undefined;
    if (o['runAt'] !== undefined) {
      const r = o['runAt'];
      runAt = r instanceof Date ? r.getTime() : (r as number);
      if (typeof runAt !== 'number' || !Number.isFinite(runAt) || !Number.isInteger(runAt)) {
        throw new InvalidOptionsError(`${at('runAt')} must be a Date or epoch milliseconds`, { path: at('runAt') });
      }
      if (delayMs !== undefined)
        throw new InvalidOptionsError('runAt and delayMs exclude each other', { path: at('delayMs') });
    }
    if (delayMs !== undefined) runAt = this.ctx.clock.now() + delayMs;
    const maxAttempts = optionalInt(o['maxAttempts'], at('maxAttempts'), { max: 1000 });
    const idempotencyKey = o['idempotencyKey'];
    if (idempotencyKey !== undefined) validateKey(idempotencyKey, at('idempotencyKey'));
    return {
      queue,
      payload: this.ctx.codec<P>('payload').encode(payload),
      ...(priority === undefined ? {} : { priority }),
      ...(runAt === undefined ? {} : { runAt }),
      ...(maxAttempts === undefined ? {} : { maxAttempts }),
      ...(idempotencyKey === undefined ? {} : { idempotencyKey: idempotencyKey as string }),
    };
  }

  /** Enqueues a task; `deduped` when a task with the same idempotency key exists. */
  async enqueue(payload: P, options?: EnqueueOptions): Promise<EnqueueResult> {
    const spec = this.spec(payload, options, '');
    return (await this.ctx.store()).enqueue(spec);
  }

  /** Enqueues several tasks atomically (all or none). */
  async enqueueMany(items: ReadonlyArray<{ readonly payload: P } & EnqueueOptions>): Promise<EnqueueResult[]> {
    if (!Array.isArray(items)) throw new InvalidOptionsError('items must be an array', { path: 'items' });
    if (items.length === 0) return [];
    const specs = items.map((item, i) => {
      if (typeof item !== 'object' || item === null)
        throw new InvalidOptionsError(`items.${i} must be an object { payload, ...options }`, { path: `items.${i}` });
      const { payload, ...rest } = item;
      return this.spec(payload, rest, `items.${i}`);
    });
    return (await this.ctx.store()).enqueueMany(specs);
  }

  /** Claims up to `limit` due tasks for `worker`, each with a fresh lease token. */
  async claim(options: {
    readonly worker: string;
    readonly queues?: readonly string[];
    readonly limit?: number;
    readonly leaseMs?: number;
  }): Promise<Task<P>[]> {
    const o = optionObject(options, '', ['worker', 'queues', 'limit', 'leaseMs']);
    validateKey(o['worker'], 'worker');
    const queues = o['queues'] ?? [];
    if (!Array.isArray(queues))
      throw new InvalidOptionsError('queues must be an array of queue names', { path: 'queues' });
    queues.forEach((q, i) => validateKey(q, `queues.${i}`));
    const limit = optionalInt(o['limit'], 'limit', { max: MAX_PAGE }) ?? 1;
    const leaseMs = optionalInt(o['leaseMs'], 'leaseMs') ?? (this.ctx.surface.definition.options.leaseMs as number);
    const tasks = await (await this.ctx.store()).claim({ worker: o['worker'] as string, queues, limit, leaseMs });
    const codec = this.ctx.codec<P>('payload');
    return tasks.map((t) => ({ ...t, payload: codec.decode(t.payload) }));
  }

  /** Extends the lease and reports whether a cancel was requested; STATEPROOF_LEASE_LOST when the attempt is stale. */
  async heartbeat(task: TaskRef, options?: { readonly leaseMs?: number }): Promise<HeartbeatResult> {
    const r = ref(task);
    const leaseMs =
      optionalInt(optionObject(options, '', ['leaseMs'])['leaseMs'], 'leaseMs') ??
      (this.ctx.surface.definition.options.leaseMs as number);
    return (await this.ctx.store()).heartbeat(r.id, r.token, leaseMs);
  }

  /** Completes the attempt: the task succeeded, with an optional result. */
  async complete(task: TaskRef, result?: R): Promise<void> {
    const r = ref(task);
    const encoded = result === undefined ? null : this.resultCodec().encode(result);
    return (await this.ctx.store()).complete(r.id, r.token, encoded);
  }

  /** Fails the attempt: retried with backoff while attempts remain (unless `retry: false`), else the task fails. */
  async fail(task: TaskRef, error: string | Error, options?: { readonly retry?: boolean }): Promise<FailResult> {
    const r = ref(task);
    const retry = optionalBoolean(optionObject(options, '', ['retry'])['retry'], 'retry');
    return (await this.ctx.store()).fail(
      r.id,
      r.token,
      textField(error, 'error'),
      retry === undefined ? {} : { retry },
    );
  }

  /** Cancels: a queued task at once, a running one by request (its worker sees it in the heartbeat reply). */
  async cancel(id: string): Promise<CancelResult> {
    validateKey(id, 'id');
    return (await this.ctx.store()).cancel(id);
  }

  /** The worker acknowledges a requested cancel; the task is canceled. */
  async acknowledgeCancel(task: TaskRef): Promise<void> {
    const r = ref(task);
    return (await this.ctx.store()).acknowledgeCancel(r.id, r.token);
  }

  /** Ends expired or overdue attempts of every worker (the runtime also runs this periodically). */
  async reap(): Promise<ReapReport> {
    return (await this.ctx.store()).reap();
  }

  /** The task, or null. */
  async get(id: string): Promise<TaskView<P, R> | null> {
    validateKey(id, 'id');
    const t = await (await this.ctx.store()).get(id);
    if (!t) return null;
    return {
      ...t,
      history: t.history.map((a: AttemptRecord) => ({ ...a })),
      payload: this.ctx.codec<P>('payload').decode(t.payload),
      result: t.result === null ? null : this.resultCodec().decode(t.result),
    };
  }

  /** Counters: queued and running now; succeeded, failed, canceled and lost attempts so far. */
  async counters(): Promise<QueueCounters> {
    return (await this.ctx.store()).counters();
  }

  private resultCodec() {
    return this.ctx.codec<R>('result');
  }
}
