import type { SurfaceKind } from '@stateproof/spec';
import type { DataspaceSession, Task } from '@stateproof/core';
import type { WorkerContext } from './worker-context.js';

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
    const values = Array.from({ length: size }, (_, j) => ({ w, i: ctx.config.incarnation, n, j }));
    const seqs = await ctx.run('log', 'append', stream, values, () => h.appendBatch(stream, values));
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

/**
 * A session per incarnation asserting the worker's own ids, heartbeating, reaping others' dead
 * sessions; a session that expired (the backend was down longer than its lease) is replaced.
 */
const dataspaceWorkload: Workload = async (ctx) => {
  const h = ctx.rt.use(ctx.surfaces.dataspace!);
  const owner = `w${ctx.config.worker}.${ctx.config.incarnation}`;
  const open = () =>
    ctx.run(
      'dataspace',
      'open',
      owner,
      null,
      () => h.openSession({ owner }),
      (s) => ({ session: s.id }),
    );
  const first = await open();
  if (!first) throw new Error('could not open a dataspace session');
  let session: DataspaceSession<unknown> = first;
  let beat = Date.now();
  for (let n = 0; !ctx.stopping(); n++) {
    const id = `w${ctx.config.worker}:a${Math.floor(ctx.random() * 5)}`;
    const s = session;
    if (ctx.random() < 0.8)
      await ctx.run('dataspace', 'assert', id, { session: s.id, value: { n } }, () => s.assert(id, { n }));
    else await ctx.run('dataspace', 'retract', id, { session: s.id }, () => s.retract(id));
    if (ctx.lastFailure() === 'STATEPROOF_SESSION_EXPIRED') {
      session = (await open()) ?? session;
      beat = Date.now();
    }
    if (Date.now() - beat > ctx.config.leaseMs / 4) {
      const live = session;
      await ctx.run('dataspace', 'heartbeat', owner, { session: live.id }, () => live.heartbeat());
      beat = Date.now();
    }
    if (n % 10 === 0) await ctx.run('dataspace', 'reap', owner, null, () => h.reap());
    await ctx.pause(2);
  }
  const last = session;
  await ctx.run('dataspace', 'close', owner, { session: last.id }, () => last.close());
};

/** The workload of each kind. */
export const WORKLOADS: Readonly<Partial<Record<SurfaceKind, Workload>>> = {
  record: recordWorkload,
  log: logWorkload,
  claim: claimWorkload,
  queue: queueWorkload,
  dataspace: dataspaceWorkload,
};
