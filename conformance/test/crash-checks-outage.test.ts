import { describe, expect, it } from 'vitest';
import { createRegistry, openRuntime, type DataspaceView, type Runtime } from '@stateproof/core';
import { memoryAdapter } from '@stateproof/adapter-memory';
import { CrashHistory } from '../src/crash/crash-history.js';
import { defineCrashSurfaces, type CrashSurfaces } from '../src/crash/crash-surfaces.js';
import type { SurfaceKind } from '@stateproof/spec';
import type { CheckContext } from '../src/crash/checks/check-context.js';
import { checkClaims } from '../src/crash/checks/check-claims.js';
import { checkDataspaces } from '../src/crash/checks/check-dataspaces.js';
import { checkLogs } from '../src/crash/checks/check-logs.js';
import { checkQueues } from '../src/crash/checks/check-queues.js';
import { checkRecords } from '../src/crash/checks/check-records.js';

// During a backend kill, an operation in flight fails with STATEPROOF_BACKEND_UNAVAILABLE: its
// commit may have reached the server before the crash (applied, only the answer was lost) or not.
// The per-kind crash checks must accept both, and still catch an acknowledged write that is gone.

const UNAVAILABLE = 'STATEPROOF_BACKEND_UNAVAILABLE';
const LEASE_MS = 500;
type Fate = 'acked' | 'applied' | 'lost';

/** A worker's view of a run: operations on a memory runtime, reported to a history as the crash workers do. */
async function scene(kinds: readonly SurfaceKind[], options: { slowHarnessComplete?: boolean } = {}) {
  // Real time (the queue drain waits out retry backoff), which waitForLeases moves past every lease.
  let offset = 0;
  const clock = { now: () => Date.now() + offset };
  const registry = createRegistry();
  const { surfaces, list } = defineCrashSurfaces(registry, 'ephemeral', kinds, LEASE_MS);
  const adapter = memoryAdapter({ namespace: 'outage', clock });
  if (options.slowHarnessComplete) {
    // A server so slow that the harness's first completion arrives after its own lease ended.
    const open = adapter.openQueue.bind(adapter);
    let slowed = false;
    adapter.openQueue = async (binding) => {
      const store = await open(binding);
      const complete = store.complete.bind(store);
      store.complete = async (id, token, result) => {
        if (!slowed && result?.includes('harness')) {
          slowed = true;
          offset += LEASE_MS + 1;
        }
        return complete(id, token, result);
      };
      return store;
    };
  }
  const rt: Runtime = await openRuntime({
    adapter,
    app: 'crash',
    deployment: 'run',
    mode: 'enforce',
    registry,
    surfaces: list,
    maintenanceIntervalMs: false,
    logger: { warn: () => undefined },
  });
  const history = new CrashHistory();
  const events: DataspaceView<unknown>[] = [];
  const subscription = surfaces.dataspace
    ? await rt.use(surfaces.dataspace).subscribe({ type: 'all' }, { bufferSize: 10_000 })
    : undefined;
  const reading = subscription
    ? (async () => {
        for await (const e of subscription) events.push(e);
      })()
    : Promise.resolve();
  let n = 0;
  /**
   * Reports `fn` as worker `w`.`inc` did: acknowledged; failed with STATEPROOF_BACKEND_UNAVAILABLE
   * after it was applied (the answer was lost in the crash); or failed and never applied.
   */
  async function op<T>(
    w: number,
    inc: number,
    kind: SurfaceKind,
    name: string,
    key: string,
    args: unknown,
    fate: Fate,
    fn: () => Promise<T>,
    result?: (v: T) => unknown,
  ): Promise<T | undefined> {
    const id = `w${w}.${inc}.${++n}`;
    history.record(w, inc, { t: 'invoke', id, kind, op: name, key, args });
    if (fate === 'lost') {
      history.record(w, inc, {
        t: 'fail',
        id,
        code: UNAVAILABLE,
        message: 'the connection to Postgres failed (ECONNREFUSED)',
      });
      return undefined;
    }
    const value = await fn();
    if (fate === 'applied')
      history.record(w, inc, {
        t: 'fail',
        id,
        code: UNAVAILABLE,
        message: 'the connection to Postgres failed (Connection terminated unexpectedly)',
      });
    else history.record(w, inc, { t: 'ack', id, result: result ? result(value) : value });
    return value;
  }
  const ctx = (killed: string[]): CheckContext => ({
    rt,
    surfaces: surfaces as Partial<CrashSurfaces>,
    history,
    leaseMs: LEASE_MS,
    killed: new Set(killed),
    // No worker reaps in these histories: the survivors' reap is not judged here.
    reapableAt: new Map(),
    expirySlackMs: 0,
    dataspaceEvents: events,
    async waitForLeases() {
      offset += LEASE_MS + 1;
    },
  });
  const settle = async () => {
    for (let seen = -1; seen !== events.length;) {
      seen = events.length;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const close = async () => {
    await subscription?.close();
    await reading.catch(() => undefined);
    await rt.close();
  };
  return { rt, surfaces, history, op, ctx, settle, close };
}

describe('the crash checks when operations failed with STATEPROOF_BACKEND_UNAVAILABLE during a backend outage', () => {
  it('records: a failed write may hold (applied) or not (lost); an acknowledged write that is gone is still caught', async () => {
    const s = await scene(['record']);
    const h = s.rt.use(s.surfaces.record!);
    const put = (key: string, value: unknown, fate: Fate) =>
      s.op(0, 0, 'record', 'put', key, value, fate, () => h.put(key, value));
    await put('w0:k1', { n: 1 }, 'acked');
    await put('w0:k1', { n: 2 }, 'applied');
    await put('w0:k2', { n: 3 }, 'acked');
    await put('w0:k2', { n: 4 }, 'lost');
    await put('w0:k3', { n: 5 }, 'acked');
    await s.op(0, 0, 'record', 'delete', 'w0:k3', null, 'applied', () => h.delete('w0:k3'));
    await put('w0:k4', { n: 6 }, 'applied');
    await put('w0:k4', { n: 7 }, 'acked');
    expect(await checkRecords(s.ctx([]))).toEqual([]);
    // An acknowledged put that the backend lost (reported acknowledged, never applied).
    s.history.record(0, 0, { t: 'invoke', id: 'lost-ack', kind: 'record', op: 'put', key: 'w0:k4', args: { n: 8 } });
    s.history.record(0, 0, { t: 'ack', id: 'lost-ack', result: { version: 99, expiresAt: null } });
    expect((await checkRecords(s.ctx([]))).join('\n')).toMatch(
      /record w0:k4: holds \{"n":7\}, but the last acknowledged write left put \{"n":8\}/,
    );
    await s.close();
  });

  it('logs: a failed batch is there whole or not at all, a failed cursor commit may have moved the cursor; a lost acknowledged entry is caught', async () => {
    const s = await scene(['log']);
    const h = s.rt.use(s.surfaces.log!);
    const append = (values: unknown[], fate: Fate) =>
      s.op(0, 0, 'log', 'append', 'w0', values, fate, () => h.appendBatch('w0', values));
    await append(
      [
        { n: 1, j: 0 },
        { n: 1, j: 1 },
      ],
      'acked',
    );
    await s.op(0, 0, 'log', 'commit', 'w0', { consumer: 'c0', seq: 2 }, 'acked', () => h.commitCursor('w0', 'c0', 2));
    await append(
      [
        { n: 2, j: 0 },
        { n: 2, j: 1 },
        { n: 2, j: 2 },
      ],
      'applied',
    );
    await append([{ n: 3, j: 0 }], 'lost');
    await append([{ n: 4, j: 0 }], 'acked');
    await s.op(0, 0, 'log', 'commit', 'w0', { consumer: 'c0', seq: 6 }, 'applied', () => h.commitCursor('w0', 'c0', 6));
    expect(await checkLogs(s.ctx([]))).toEqual([]);
    s.history.record(0, 0, {
      t: 'invoke',
      id: 'lost-ack',
      kind: 'log',
      op: 'append',
      key: 'w0',
      args: [{ n: 5, j: 0 }],
    });
    s.history.record(0, 0, { t: 'ack', id: 'lost-ack', result: [7] });
    expect((await checkLogs(s.ctx([]))).join('\n')).toMatch(/log w0: acknowledged entry 7 \{"n":5,"j":0\} reads null/);
    // Sequence 7 handed out again (to a real append): the earlier acknowledgement is judged too, not just the last.
    await append([{ n: 9, j: 0 }], 'acked');
    const reused = (await checkLogs(s.ctx([]))).join('\n');
    expect(reused).toMatch(/log w0: sequence 7 acknowledged twice/);
    expect(reused).toMatch(/log w0: acknowledged entry 7 \{"n":5,"j":0\} reads \{"n":9,"j":0\}/);
    await s.close();
  });

  it('claims: a completion whose answer was lost stays completed; a failed acquire that took the claim ends with its lease', async () => {
    const s = await scene(['claim']);
    const h = s.rt.use(s.surfaces.claim!);
    const got = await s.op(0, 0, 'claim', 'acquire', 'c1', { owner: 'w0.0' }, 'acked', () =>
      h.acquire('c1', { owner: 'w0.0' }),
    );
    if (got?.status !== 'acquired') throw new Error('expected the claim');
    await s.op(0, 0, 'claim', 'complete', 'c1', { token: got.token, result: { by: 'w0.0' } }, 'applied', () =>
      h.complete('c1', got.token, { by: 'w0.0' }),
    );
    await s.op(1, 0, 'claim', 'acquire', 'c2', { owner: 'w1.0' }, 'applied', () => h.acquire('c2', { owner: 'w1.0' }));
    await s.op(1, 0, 'claim', 'acquire', 'c3', { owner: 'w1.0' }, 'lost', () => h.acquire('c3', { owner: 'w1.0' }));
    expect(await checkClaims(s.ctx(['w1.0']))).toEqual([]);
    await s.close();
  });

  it('queues: failed enqueues, claims and completes, applied or not, leave nothing for the check to flag', async () => {
    const s = await scene(['queue']);
    const h = s.rt.use(s.surfaces.queue!);
    const enqueue = (payloads: number[], fate: Fate) =>
      s.op(
        0,
        0,
        'queue',
        'enqueue',
        'tasks',
        payloads,
        fate,
        () => h.enqueueMany(payloads.map((payload) => ({ payload, idempotencyKey: `p${payload}` }))),
        (r) => r.map((x) => x.id),
      );
    await enqueue([1, 2, 3], 'acked');
    await enqueue([4], 'applied');
    await enqueue([5], 'lost');
    const claim = (fate: Fate) =>
      s.op(
        1,
        0,
        'queue',
        'claim',
        'tasks',
        { worker: 'w1.0' },
        fate,
        () => h.claim({ worker: 'w1.0', limit: 1 }),
        (ts) => ts.map((t) => ({ id: t.id, attempt: t.attempt, token: t.token })),
      );
    // Killed worker w1.0: its completion reached the server, the answer did not; the late complete must still be refused.
    const [t1] = (await claim('acked')) ?? [];
    await s.op(1, 0, 'queue', 'complete', t1!.id, { token: t1!.token, attempt: t1!.attempt }, 'applied', () =>
      h.complete(t1!, { by: 'w1.0' }),
    );
    // Its next claim took a task and lost the answer; another claim never reached the server.
    await claim('applied');
    await claim('lost');
    // Live worker w2.0: a completion that never reached the server; the task's lease ends and someone else finishes it.
    const [t3] =
      (await s.op(
        2,
        0,
        'queue',
        'claim',
        'tasks',
        { worker: 'w2.0' },
        'acked',
        () => h.claim({ worker: 'w2.0', limit: 1 }),
        (ts) => ts.map((t) => ({ id: t.id, attempt: t.attempt, token: t.token })),
      )) ?? [];
    await s.op(2, 0, 'queue', 'complete', t3!.id, { token: t3!.token, attempt: t3!.attempt }, 'lost', () =>
      h.complete(t3!, { by: 'w2.0' }),
    );
    expect(await checkQueues(s.ctx(['w1.0']))).toEqual([]);
    await s.close();
  });

  it('queues: the drain goes on when a slow server outlasts the lease of one of its own completions', async () => {
    const s = await scene(['queue'], { slowHarnessComplete: true });
    const h = s.rt.use(s.surfaces.queue!);
    await s.op(
      0,
      0,
      'queue',
      'enqueue',
      'tasks',
      [1, 2],
      'acked',
      () => h.enqueueMany([{ payload: 1 }, { payload: 2 }]),
      (r) => r.map((x) => x.id),
    );
    expect(await checkQueues(s.ctx([]))).toEqual([]);
    await s.close();
  });

  it('dataspaces: failed asserts and retracts of a dead session, applied or not, are all retracted in the end', async () => {
    const s = await scene(['dataspace']);
    const h = s.rt.use(s.surfaces.dataspace!);
    const session = (await s.op(
      2,
      0,
      'dataspace',
      'open',
      'w2.0',
      null,
      'acked',
      () => h.openSession({ owner: 'w2.0' }),
      (x) => ({ session: x.id }),
    ))!;
    const assert = (id: string, fate: Fate) =>
      s.op(2, 0, 'dataspace', 'assert', id, { session: session.id, value: { id } }, fate, () =>
        session.assert(id, { id }),
      );
    await assert('w2:a1', 'acked');
    await assert('w2:a2', 'applied');
    await assert('w2:a3', 'lost');
    await assert('w2:a4', 'acked');
    await s.op(2, 0, 'dataspace', 'retract', 'w2:a1', { session: session.id }, 'applied', () =>
      session.retract('w2:a1'),
    );
    await s.op(2, 0, 'dataspace', 'retract', 'w2:a4', { session: session.id }, 'lost', () => session.retract('w2:a4'));
    // The dead session's lease ends and another process's reaper retracts what it held (as in a run).
    await s.ctx([]).waitForLeases();
    await h.reap();
    await s.settle();
    expect(await checkDataspaces(s.ctx(['w2.0']))).toEqual([]);
    await s.close();
  });
});
