import type { SurfaceKind } from '@stateproof/spec';
import type { DataspaceSession, Task } from '@stateproof/core';
import type { WorkerContext } from './worker-context.js';
import { SOURCE_STREAM } from '../models/projection-fold-model.js';
import { crashProjectors } from './crash-projection.js';
import { batchValues, type AppendBatch } from './append-batch.js';

/** One kind's workload in a crash worker: a loop of operations until the harness says stop. */
export type Workload = (ctx: WorkerContext) => Promise<void>;

const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Puts and deletes on the worker's own keys, each value unique. */
const recordWorkload: Workload = async (ctx) => {
  const h = ctx.rt.use(ctx.surfaces.record!);
  const w = ctx.config.worker;
  for (let n = 0; !ctx.stopping(); n++) {
    const key = `w${w}:k${Math.floor(ctx.random() * 6)}`;
    if (ctx.random() < 0.8) {
      const value = { w, i: ctx.config.incarnation, n };
      await ctx.run('record', 'put', key, value, () => h.put(key, value));
    } else await ctx.run('record', 'delete', key, null, () => h.delete(key));
    await yieldNow();
  }
};

/** Batches (some large) to the worker's own stream and a shared one; cursor commits on its own. */
const logWorkload: Workload = async (ctx) => {
  const h = ctx.rt.use(ctx.surfaces.log!);
  const w = ctx.config.worker;
  let lastOwn = 0;
  for (let n = 0; !ctx.stopping(); n++) {
    const stream = ctx.random() < 0.6 ? `w${w}` : 'all';
    const size = ctx.random() < 0.2 ? ctx.config.batchMax : 1 + Math.floor(ctx.random() * 3);
    const batch: AppendBatch = { w, i: ctx.config.incarnation, n, size };
    const values = batchValues(batch);
    // Reported by its numbers (append-batch.ts): the harness rebuilds the values.
    const seqs = await ctx.run('log', 'append', stream, batch, () => h.appendBatch(stream, values));
    if (seqs && stream === `w${w}`) lastOwn = seqs.at(-1) ?? lastOwn;
    if (n % 5 === 4 && lastOwn > 0) {
      const seq = lastOwn;
      await ctx.run('log', 'commit', `w${w}`, { consumer: `c${w}`, seq }, () => h.commitCursor(`w${w}`, `c${w}`, seq));
    }
    await yieldNow();
  }
};

/** Claims on shared keys: acquire, sometimes hold a while, complete with a result naming the holder. */
const claimWorkload: Workload = async (ctx) => {
  const h = ctx.rt.use(ctx.surfaces.claim!);
  const owner = `w${ctx.config.worker}.${ctx.config.incarnation}`;
  for (let n = 0; !ctx.stopping(); n++) {
    const key = `c${Math.floor(ctx.random() * 12)}`;
    const got = await ctx.run('claim', 'acquire', key, { owner }, () => h.acquire(key, { owner }));
    if (got?.status === 'acquired') {
      if (ctx.random() < 0.5) await ctx.pause(ctx.random() * ctx.config.leaseMs * 0.3);
      const result = { by: owner, n };
      await ctx.run('claim', 'complete', key, { token: got.token, result }, () => h.complete(key, got.token, result));
    } else await ctx.pause(5);
    await yieldNow();
  }
};

/** Every worker enqueues now and then, and claims, heartbeats and completes; reaps the dead's attempts. */
const queueWorkload: Workload = async (ctx) => {
  const h = ctx.rt.use(ctx.surfaces.queue!);
  const worker = `w${ctx.config.worker}.${ctx.config.incarnation}`;
  const base = (ctx.config.worker * 1000 + ctx.config.incarnation) * 1_000_000;
  for (let n = 0; !ctx.stopping(); n++) {
    if (ctx.random() < 0.3) {
      const size = ctx.random() < 0.2 ? ctx.config.batchMax : 1 + Math.floor(ctx.random() * 3);
      const items = Array.from({ length: size }, (_, j) => ({
        payload: base + n * 1000 + j,
        idempotencyKey: `${worker}.${n}.${j}`,
      }));
      await ctx.run(
        'queue',
        'enqueue',
        'tasks',
        items.map((i) => i.payload),
        () => h.enqueueMany(items),
        (r) => r.map((x) => x.id),
      );
    }
    if (n % 10 === 0) await ctx.run('queue', 'reap', 'tasks', null, () => h.reap());
    const tasks = await ctx.run(
      'queue',
      'claim',
      'tasks',
      { worker },
      () => h.claim({ worker, limit: 2 }),
      (ts) => ts.map((t) => ({ id: t.id, attempt: t.attempt, token: t.token })),
    );
    for (const t of tasks ?? ([] as Task<number>[])) {
      if (ctx.random() < 0.3) await ctx.pause(ctx.random() * ctx.config.leaseMs * 0.3);
      await ctx.run('queue', 'complete', t.id, { token: t.token, attempt: t.attempt }, () =>
        h.complete(t, { by: worker, attempt: t.attempt }),
      );
    }
    if (!tasks || tasks.length === 0) await ctx.pause(10);
    await yieldNow();
  }
};

/** How many ids each incarnation's solo session asserts (see {@link soloId}). */
export const SOLO_IDS = 2;

/**
 * An id only incarnation `incarnation` of `worker` ever asserts: no restarted worker touches it
 * again, so once that incarnation is killed only another process's reaper retracts it (DSP-024).
 */
export function soloId(worker: number, incarnation: number, k: number): string {
  return `w${worker}.${incarnation}:s${k}`;
}

/**
 * A session per incarnation asserting the worker's own ids (which its next incarnation asserts
 * again, reaping the dead session on the spot), and a solo session asserting ids of this incarnation
 * alone (only a reaper frees them); both heartbeated, others' dead sessions reaped now and then; a
 * session that expired (the backend was down longer than its lease) is replaced.
 */
const dataspaceWorkload: Workload = async (ctx) => {
  const h = ctx.rt.use(ctx.surfaces.dataspace!);
  const { worker, incarnation } = ctx.config;
  const owner = `w${worker}.${incarnation}`;
  const open = (who: string) =>
    ctx.run(
      'dataspace',
      'open',
      who,
      null,
      () => h.openSession({ owner: who }),
      (s) => ({ session: s.id }),
    );
  const openSolo = async (): Promise<DataspaceSession<unknown> | undefined> => {
    const s = await open(`${owner}.solo`);
    for (let k = 0; s && k < SOLO_IDS; k++) {
      const id = soloId(worker, incarnation, k);
      await ctx.run('dataspace', 'assert', id, { session: s.id, value: { solo: k } }, () => s.assert(id, { solo: k }));
    }
    return s;
  };
  const first = await open(owner);
  if (!first) throw new Error('could not open a dataspace session');
  let session: DataspaceSession<unknown> = first;
  let solo = await openSolo();
  let beat = Date.now();
  for (let n = 0; !ctx.stopping(); n++) {
    const id = `w${worker}:a${Math.floor(ctx.random() * 5)}`;
    const s = session;
    if (ctx.random() < 0.8)
      await ctx.run('dataspace', 'assert', id, { session: s.id, value: { n } }, () => s.assert(id, { n }));
    else await ctx.run('dataspace', 'retract', id, { session: s.id }, () => s.retract(id));
    if (ctx.lastFailure() === 'STATEPROOF_SESSION_EXPIRED') {
      session = (await open(owner)) ?? session;
      beat = Date.now();
    }
    if (Date.now() - beat > ctx.config.leaseMs / 4) {
      const live = session;
      await ctx.run('dataspace', 'heartbeat', owner, { session: live.id }, () => live.heartbeat());
      const held = solo;
      if (held) await ctx.run('dataspace', 'heartbeat', held.owner, { session: held.id }, () => held.heartbeat());
      if (!held || ctx.lastFailure() === 'STATEPROOF_SESSION_EXPIRED') solo = (await openSolo()) ?? held;
      beat = Date.now();
    }
    // Stamped with its start, so the check knows which dead sessions this reap had to retract.
    if (n % 10 === 0) await ctx.run('dataspace', 'reap', owner, { at: Date.now() }, () => h.reap());
    await ctx.pause(2);
  }
  const last = session;
  await ctx.run('dataspace', 'close', owner, { session: last.id }, () => last.close());
  const lastSolo = solo;
  if (lastSolo) await ctx.run('dataspace', 'close', lastSolo.owner, { session: lastSolo.id }, () => lastSolo.close());
};

/** The workload of each kind. */
export const WORKLOADS: Readonly<Partial<Record<SurfaceKind, Workload>>> = {
  record: recordWorkload,
  log: logWorkload,
  claim: claimWorkload,
  queue: queueWorkload,
  dataspace: dataspaceWorkload,
};

/**
 * Derived projections: every worker appends batches to the source log (acknowledged appends, as
 * the log workload's) and runs the projectors of the record and log projections, whose catch-ups
 * commit a few entries at a time; a kill lands before, inside or after a commit, and several
 * workers' projectors race for the same cursor.
 */
const projectionWorkload: Workload = async (ctx) => {
  const source = ctx.rt.use(ctx.surfaces.source!);
  const projectors = crashProjectors(ctx.rt, ctx.surfaces, 3 + Math.floor(ctx.random() * 15));
  const { worker: w, incarnation: i } = ctx.config;
  for (let n = 0; !ctx.stopping(); n++) {
    const size = ctx.random() < 0.2 ? ctx.config.batchMax : 1 + Math.floor(ctx.random() * 5);
    const batch: AppendBatch = { w, i, n, size };
    const values = batchValues(batch);
    await ctx.run('log', 'append', SOURCE_STREAM, batch, () => source.appendBatch(SOURCE_STREAM, values));
    for (const [kind, p] of Object.entries(projectors)) {
      if (!p || ctx.random() < 0.3) continue;
      await ctx.run(kind as 'record' | 'log', 'catch-up', p.id, null, () => p.catchUp());
    }
    await yieldNow();
  }
};

/** The workload of a derived-projection run: one for both projections, since they share the source. */
export const PROJECTION_WORKLOAD: Workload = projectionWorkload;
