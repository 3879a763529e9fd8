import {
  openRuntime,
  type LogHandle,
  type QueueHandle,
  type RecordHandle,
  type RuntimeOptions,
} from '@stateproof/core';
import type { Order } from '../postgres/surfaces.js';
import { order } from '../postgres/surfaces.js';
import type { SoakBackend } from './soak-backends.js';
import { runLoad, type LoadResult, type PruneStats, type TenthFigures } from './soak-load.js';
import {
  SOAK_MAINTENANCE_MS,
  SOAK_SURFACES,
  soakEvents,
  soakJobs,
  soakOrders,
  soakProbeJobs,
  soakRegistry,
} from './soak-surfaces.js';

type Adapter = RuntimeOptions['adapter'];

/**
 * The adapter, with every queue store's `prune` and `reap` counted and timed (the maintenance loop's
 * passes run in the background, so their reports are not seen; the count is what they removed).
 */
export function countingPrunes(adapter: Adapter): { adapter: Adapter; pruned: () => PruneStats } {
  const stats = { rows: 0, calls: 0, ms: 0, reapCalls: 0, reapMs: 0 };
  const bound = (target: object, p: string | symbol): unknown => {
    const v: unknown = Reflect.get(target, p, target);
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
  };
  const store = (s: object): object =>
    new Proxy(s, {
      get(target, p) {
        const v = bound(target, p);
        if ((p !== 'prune' && p !== 'reap') || typeof v !== 'function') return v;
        return async (...args: unknown[]) => {
          const t0 = performance.now();
          const r: unknown = await (v as (...a: unknown[]) => Promise<unknown>)(...args);
          if (p === 'reap') {
            stats.reapMs += performance.now() - t0;
            stats.reapCalls++;
          } else {
            stats.ms += performance.now() - t0;
            stats.calls++;
            stats.rows += (r as number) ?? 0;
          }
          return r;
        };
      },
    });
  const proxy = new Proxy(adapter, {
    get(target, p) {
      const v = bound(target, p);
      if (p !== 'openQueue' || typeof v !== 'function') return v;
      return async (binding: unknown) => store((await (v as (b: unknown) => Promise<object>)(binding)) as object);
    },
  });
  return { adapter: proxy, pruned: () => ({ ...stats }) };
}

const quiet = { warn: () => undefined };

/**
 * Whether the backend's prune removes anything: one task finished on a queue whose retention is
 * 1 ms, then one maintenance pass. A placeholder prune (issue 18, while an adapter's is written)
 * reports 0.
 */
export async function pruneWorks(backend: SoakBackend): Promise<boolean> {
  const rt = await openRuntime({
    adapter: await backend.adapter(),
    app: 'soak',
    deployment: 'probe',
    surfaces: [soakProbeJobs],
    registry: soakRegistry,
    mode: 'warn',
    logger: quiet,
    maintenanceIntervalMs: false,
  });
  try {
    const jobs = rt.use(soakProbeJobs) as QueueHandle<Order, unknown>;
    await jobs.enqueue(order(0));
    const [task] = await jobs.claim({ worker: 'probe', limit: 1 });
    if (!task) throw new Error('soak: the probe could not claim its task');
    await jobs.complete(task);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const report = await rt.maintain();
    return (report.pruned[soakProbeJobs.id] ?? 0) > 0;
  } finally {
    await rt.close();
  }
}

/** What one backend's soak measured. */
export interface SoakRun extends LoadResult {
  readonly backend: string;
  readonly facts: string;
  readonly sizeMeaning: string;
  /** What the probe found: whether the backend's prune removes anything. */
  readonly pruneWorks: boolean;
}

/** Opens the runtime on `backend` as production would (maintenance loop every second) and runs the load. */
export async function runSoak(
  backend: SoakBackend,
  total: number,
  works: boolean,
  onTenth: (t: TenthFigures) => void,
): Promise<SoakRun> {
  const counted = countingPrunes(await backend.adapter());
  const rt = await openRuntime({
    adapter: counted.adapter,
    app: 'soak',
    deployment: 'soak',
    surfaces: SOAK_SURFACES,
    registry: soakRegistry,
    mode: 'warn',
    logger: quiet,
    maintenanceIntervalMs: SOAK_MAINTENANCE_MS,
  });
  const stopHousekeeping = backend.housekeeping();
  try {
    const result = await runLoad(
      total,
      {
        jobs: rt.use(soakJobs) as QueueHandle<Order, unknown>,
        orders: rt.use(soakOrders) as RecordHandle<Order>,
        events: rt.use(soakEvents) as LogHandle<Order>,
      },
      { size: (detail) => backend.size(detail), pruned: counted.pruned, onTenth },
    );
    return {
      ...result,
      backend: backend.name,
      facts: backend.facts,
      sizeMeaning: backend.sizeMeaning,
      pruneWorks: works,
    };
  } finally {
    await stopHousekeeping();
    await rt.close();
  }
}
