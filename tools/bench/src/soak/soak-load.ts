import { PerformanceObserver } from 'node:perf_hooks';
import type { LogHandle, QueueHandle, RecordHandle } from '@stateproof/core';
import { order, type Order } from '../postgres/surfaces.js';
import type { StorageSize } from './soak-backends.js';

/** The shape of the load (the same at every scale; only the task count changes). */
export const LOAD = {
  /** Tasks per enqueueMany. */
  enqueueBatch: 500,
  /** The producer enqueues a batch whenever fewer than this many tasks are enqueued and not yet completed. */
  backlog: 5_000,
  workers: 4,
  /** claim({ limit }). */
  claimLimit: 100,
  /** One record put and one log append per this many completed tasks. */
  sideEvery: 50,
  /** Records are overwritten over this many keys; appends go round-robin to this many streams. */
  recordKeys: 1_000,
  streams: 8,
  /** Fine samples (size, RSS, tasks) for the chart, every this many ms. */
  sampleMs: 1_000,
} as const;

/** The figures of one tenth of the run, taken when its last task completed. */
export interface TenthFigures {
  /** 1 to 10. */
  readonly tenth: number;
  /** Tasks completed since the start. */
  readonly tasks: number;
  /** Wall time of this tenth and since the start, in ms. */
  readonly ms: number;
  readonly elapsedMs: number;
  /** Tasks completed per second in this tenth. */
  readonly rate: number;
  readonly size: StorageSize;
  /** process.memoryUsage() at the end of the tenth. */
  readonly rss: number;
  readonly heapUsed: number;
  /** Garbage collections during the tenth (PerformanceObserver 'gc' entries), and their total pause. */
  readonly gcCount: number;
  readonly gcMs: number;
  /** Finished tasks the maintenance loop pruned during the tenth, in how many prune calls taking how long (ms, summed). */
  readonly pruned: number;
  readonly pruneCalls: number;
  readonly pruneMs: number;
  /** The queue reaper's calls during the tenth and their time (ms, summed). */
  readonly reapCalls: number;
  readonly reapMs: number;
}

/** What the queue store's prune did so far: rows removed, calls, time spent in them (ms); and the reaper's calls and time. */
export interface PruneStats {
  readonly rows: number;
  readonly calls: number;
  readonly ms: number;
  readonly reapCalls: number;
  readonly reapMs: number;
}

/** A fine sample for the chart. */
export interface SoakSample {
  readonly elapsedMs: number;
  readonly tasks: number;
  readonly size: number;
  readonly rss: number;
}

export interface LoadResult {
  readonly tenths: readonly TenthFigures[];
  readonly samples: readonly SoakSample[];
  readonly tasks: number;
  readonly records: number;
  readonly appends: number;
  readonly ms: number;
  readonly pruned: number;
  /** complete() calls that failed (the task is then reaped and claimed again). */
  readonly completeErrors: number;
}

export interface LoadHandles {
  readonly jobs: QueueHandle<Order, unknown>;
  readonly orders: RecordHandle<Order>;
  readonly events: LogHandle<Order>;
}

export interface LoadHooks {
  size(detail: boolean): Promise<StorageSize>;
  /** Finished tasks pruned so far (counted at the adapter's prune). */
  pruned(): PruneStats;
  onTenth(t: TenthFigures): void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `total` tasks through the queue: one producer enqueueing batches whenever the backlog has
 * room (so it enqueues at the pace the workers drain), `LOAD.workers` workers each looping
 * claim({ limit }) and completing the claimed tasks concurrently, and a record put and a log append
 * per `LOAD.sideEvery` completed tasks. Measures each tenth and samples every `LOAD.sampleMs`.
 */
export async function runLoad(total: number, h: LoadHandles, hooks: LoadHooks): Promise<LoadResult> {
  let enqueued = 0;
  let completed = 0;
  let sideIssued = 0;
  let completeErrors = 0;
  let room: (() => void) | undefined;
  let gcCount = 0;
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcCount++;
      gcMs += e.duration;
    }
  });
  gc.observe({ entryTypes: ['gc'] });

  const t0 = performance.now();
  const tenths: Promise<TenthFigures>[] = [];
  let last = { at: t0, tasks: 0, gcCount: 0, gcMs: 0, pruned: hooks.pruned() };
  const endTenth = () => {
    const at = performance.now();
    const mem = process.memoryUsage();
    const pruned = hooks.pruned();
    const partial = {
      tenth: tenths.length + 1,
      tasks: completed,
      ms: at - last.at,
      elapsedMs: at - t0,
      rate: (completed - last.tasks) / ((at - last.at) / 1000),
      rss: mem.rss,
      heapUsed: mem.heapUsed,
      gcCount: gcCount - last.gcCount,
      gcMs: gcMs - last.gcMs,
      pruned: pruned.rows - last.pruned.rows,
      pruneCalls: pruned.calls - last.pruned.calls,
      pruneMs: pruned.ms - last.pruned.ms,
      reapCalls: pruned.reapCalls - last.pruned.reapCalls,
      reapMs: pruned.reapMs - last.pruned.reapMs,
    };
    last = { at, tasks: completed, gcCount, gcMs, pruned };
    tenths.push(
      hooks.size(true).then((size) => {
        const t = { ...partial, size };
        hooks.onTenth(t);
        return t;
      }),
    );
  };
  const boundary = (k: number) => Math.round((total * k) / 10);

  const samples: SoakSample[] = [];
  let sampling = false;
  const sampler = setInterval(() => {
    if (sampling) return;
    sampling = true;
    const elapsedMs = performance.now() - t0;
    const tasks = completed;
    const rss = process.memoryUsage().rss;
    hooks
      .size(false)
      .then((s) => void samples.push({ elapsedMs, tasks, rss, size: s.total }))
      .catch(() => undefined)
      .finally(() => (sampling = false));
  }, LOAD.sampleMs);

  const producer = async () => {
    while (enqueued < total) {
      if (enqueued - completed > LOAD.backlog - LOAD.enqueueBatch) {
        await new Promise<void>((resolve) => (room = resolve));
        continue;
      }
      const n = Math.min(LOAD.enqueueBatch, total - enqueued);
      const first = enqueued;
      enqueued += n;
      await h.jobs.enqueueMany(Array.from({ length: n }, (_, j) => ({ payload: order(first + j) })));
    }
  };
  const worker = async (w: number) => {
    while (completed < total) {
      const tasks = await h.jobs.claim({ worker: `soak-${w}`, limit: LOAD.claimLimit });
      if (tasks.length === 0) {
        await sleep(2);
        continue;
      }
      const side: Promise<unknown>[] = [];
      await Promise.all(
        tasks.map(async (task) => {
          try {
            await h.jobs.complete(task);
          } catch {
            completeErrors++;
            return;
          }
          completed++;
          if (completed >= boundary(tenths.length + 1)) endTenth();
          while (sideIssued < Math.floor(completed / LOAD.sideEvery)) {
            const i = sideIssued++;
            side.push(
              h.orders.put(`order-${i % LOAD.recordKeys}`, order(i)),
              h.events.append(`stream-${i % LOAD.streams}`, order(i)),
            );
          }
        }),
      );
      await Promise.all(side);
      const wake = room;
      room = undefined;
      wake?.();
    }
  };
  try {
    await Promise.all([producer(), ...Array.from({ length: LOAD.workers }, (_, w) => worker(w))]);
  } finally {
    clearInterval(sampler);
    gc.disconnect();
  }
  const ms = performance.now() - t0;
  const figures = await Promise.all(tenths);
  samples.sort((a, b) => a.elapsedMs - b.elapsedMs);
  return {
    tenths: figures,
    samples,
    tasks: completed,
    records: sideIssued,
    appends: sideIssued,
    ms,
    pruned: hooks.pruned().rows,
    completeErrors,
  };
}
