import { PROJECTION_SOURCE_CLASSES, projectionSourceClass } from '../environment/projection-source-class.js';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  createRegistry,
  openRuntime,
  systemClock,
  type DataspaceView,
  type Runtime,
  type Subscription,
} from '@stateproof/core';
import { appendSize } from './append-batch.js';
import { CLASSES, type CertificateDocument, type DurabilityClass, type SurfaceKind } from '@stateproof/spec';
import { createTargetAdapter } from '../suite/target-error.js';
import type { CheckContext, CrashCheck, DataspaceEventRecord } from './checks/check-context.js';
import { checkClaims } from './checks/check-claims.js';
import { checkDataspaces } from './checks/check-dataspaces.js';
import { checkLogs } from './checks/check-logs.js';
import { checkLogProjection, checkRecordProjection } from './checks/check-projections.js';
import { checkQueues } from './checks/check-queues.js';
import { checkRecords } from './checks/check-records.js';
import { CrashHistory } from './crash-history.js';
import type { CrashOptions } from './crash-options.js';
import { CRASH_CONFIG_ENV, type WorkerConfig, type WorkerMessage } from './crash-protocol.js';
import { CRASH_KINDS, defineCrashSurfaces } from './crash-surfaces.js';
import { seededRandom } from './seeded-random.js';

/** The outcome of a crash run: per kind, a certificate crash entry. */
export interface CrashReport {
  /** pass when every scenario passed. */
  readonly verdict: 'pass' | 'fail';
  /** The class under test. */
  readonly cls: DurabilityClass;
  /** The run seed. */
  readonly seed: number;
  /** One certificate crash entry per kind. */
  readonly results: CertificateDocument['crash'];
  /** Problems of the run itself (a worker that could not start, unexpected errors in workers). */
  readonly errors: readonly string[];
  /** Kills of the backend server (with `killBackend`), over the whole run. */
  readonly backendKills?: number;
  /** Every operation the workers reported (for tests and diagnostics; not part of the certificate). */
  readonly history: CrashHistory;
}

const CHECKS: Readonly<Record<string, CrashCheck>> = {
  record: checkRecords,
  log: checkLogs,
  claim: checkClaims,
  queue: checkQueues,
  dataspace: checkDataspaces,
};

/** The checks of a derived-projection run: each projection against the fold of its source. */
const PROJECTION_CHECKS: Readonly<Record<string, CrashCheck>> = {
  record: checkRecordProjection,
  log: checkLogProjection,
};

/** The kinds a derived projection can have. */
const PROJECTION_KINDS: readonly SurfaceKind[] = ['record', 'log'];

/** The built worker script; the harness runs plain Node children, so it needs the compiled package. */
function workerScript(): string {
  const path = fileURLToPath(new URL('../../dist/crash/crash-worker.js', import.meta.url));
  if (!existsSync(path)) throw new Error(`the crash worker is not built (${path}); run \`npm run build\` first`);
  return path;
}

interface Live {
  readonly worker: number;
  incarnation: number;
  child: ChildProcess;
  exited: Promise<number | null>;
  ready: Promise<void>;
  stderr: string;
  onMessage?: (m: WorkerMessage) => void;
}

/**
 * The crash harness: worker child processes run random workloads of every kind and report each
 * acknowledged operation before going on; the harness kills them with SIGKILL at random moments
 * (half of the time in the middle of a large batch), restarts them, stops them, and then checks
 * with its own adapter instance that every kind kept the promises of the class.
 */
export async function runCrash(options: CrashOptions): Promise<CrashReport> {
  const t0 = performance.now();
  const target = options.target;
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = seededRandom(seed);
  const namespace = `sp-crash-${randomBytes(4).toString('hex')}`;
  const probeAdapter = await createTargetAdapter(target, { namespace, clock: systemClock });
  const caps = probeAdapter.capabilities;
  await probeAdapter.close();
  const survives = (c: DurabilityClass) => CLASSES[c].guarantees.survivesProcessKill === 'yes';
  const requested = options.kinds ?? CRASH_KINDS;
  // A derived projection needs a workload of its own (a source and projectors): only when asked for.
  const cls =
    options.cls ??
    (requested.flatMap((k) => caps.kinds[k]?.classes ?? []).find((c) => survives(c) && c !== 'derived-projection') as
      DurabilityClass | undefined);
  const projection = cls === 'derived-projection';
  const kinds = requested.filter((k) =>
    projection
      ? PROJECTION_KINDS.includes(k) && (caps.kinds[k]?.classes ?? []).includes(cls)
      : CRASH_KINDS.includes(k) && (caps.kinds[k]?.classes ?? []).some(survives),
  );
  if (!cls || kinds.length === 0)
    throw new Error(
      `${target.name} claims no class that survives a process kill for ${requested.join(', ')}; there is nothing for the crash harness to check`,
    );
  const sourceClass = projection ? projectionSourceClass(caps) : undefined;
  if (projection && !sourceClass)
    throw new Error(
      `${target.name} claims no class that survives a process kill for logs (${PROJECTION_SOURCE_CLASSES.join(' or ')}): a derived projection's source needs one, so the crash harness cannot run`,
    );
  if (!target.spawn)
    throw new Error(`target ${target.name} has no spawn recipe: the crash harness cannot start it in a child process`);
  if (options.killBackend && !target.server)
    throw new Error(`target ${target.name} has no server control: --kill-backend needs a harness-owned server`);
  const workers = options.workers ?? 3;
  const kills = options.kills ?? 6;
  const leaseMs = options.leaseMs ?? 500;
  const batchMax = options.batchMax ?? 200;
  const script = workerScript();
  options.onProgress?.({ type: 'start', kinds, cls, workers, kills, seed });

  const history = new CrashHistory();
  const killed = new Set<string>();
  const reapableAt = new Map<string, number>();
  const errors: string[] = [];
  let backendKills = 0;
  let killsDone = 0;

  // The harness's own runtime: it subscribes to the dataspace for the whole run, and checks at the end.
  const registry = createRegistry();
  const { surfaces, list } = defineCrashSurfaces(registry, cls, kinds, leaseMs, sourceClass);
  const rt: Runtime = await openRuntime({
    adapter: await createTargetAdapter(target, { namespace, clock: systemClock }),
    app: 'crash',
    deployment: 'run',
    mode: 'enforce',
    registry,
    surfaces: list,
    maintenanceIntervalMs: false,
    logger: { warn: () => undefined },
    instance: 'harness',
  });
  const dataspaceEvents: DataspaceEventRecord[] = [];
  let subscription: Subscription<DataspaceView<unknown>> | undefined;
  let reading: Promise<void> = Promise.resolve();
  if (surfaces.dataspace) {
    const sub = await rt.use(surfaces.dataspace).subscribe({ type: 'all' }, { bufferSize: 1_000_000 });
    subscription = sub;
    reading = (async () => {
      for await (const e of sub) dataspaceEvents.push(eventRecord(e));
    })();
  }

  const start = (worker: number, incarnation: number): Live => {
    const config: WorkerConfig = {
      namespace,
      worker,
      incarnation,
      kinds,
      cls,
      ...(sourceClass ? { sourceClass } : {}),
      seed,
      spawn: target.spawn!,
      leaseMs,
      batchMax,
    };
    const child = fork(script, [], {
      env: { ...process.env, [CRASH_CONFIG_ENV]: JSON.stringify(config) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv: [],
    });
    const live: Live = {
      worker,
      incarnation,
      child,
      exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
      ready: Promise.resolve(),
      stderr: '',
    };
    child.stderr?.on('data', (d: Buffer) => (live.stderr = (live.stderr + d.toString()).slice(-4000)));
    live.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`worker ${worker}.${incarnation} did not start within 60 s: ${live.stderr}`)),
        60_000,
      );
      child.on('message', (m: WorkerMessage) => {
        history.record(worker, incarnation, m);
        if (m.t === 'ready') {
          clearTimeout(timer);
          resolve();
        }
        if (m.t === 'error') {
          clearTimeout(timer);
          reject(new Error(`worker ${worker}.${incarnation} failed: ${m.message}`));
        }
        live.onMessage?.(m);
      });
      void live.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`worker ${worker}.${incarnation} exited with ${code} before it was ready: ${live.stderr}`));
      });
    });
    return live;
  };

  const pool: Live[] = [];
  let lastKill = Date.now();
  try {
    for (let w = 0; w < workers; w++) pool.push(start(w, 0));
    await Promise.all(pool.map((l) => l.ready));
    for (let k = 0; k < kills; k++) {
      await sleep(150 + random() * 400);
      const victim = pool[Math.floor(random() * pool.length)] as Live;
      const midBatch = random() < 0.5;
      if (midBatch) await untilBatchInvoked(victim, 2000);
      victim.child.kill('SIGKILL');
      await victim.exited;
      lastKill = Date.now();
      killsDone++;
      killed.add(`w${victim.worker}.${victim.incarnation}`);
      options.onProgress?.({
        type: 'kill',
        index: k + 1,
        total: kills,
        worker: `w${victim.worker}.${victim.incarnation}`,
        midBatch,
        acknowledged: history.acknowledged,
      });
      if (options.killBackend && target.server && (k % 2 === 1 || k === kills - 1)) {
        const down = performance.now();
        await target.server.kill();
        await sleep(100 + random() * 200);
        await target.server.restart();
        backendKills++;
        options.onProgress?.({ type: 'backend-kill', index: k + 1, downMs: performance.now() - down });
      }
      reapableAt.set(`w${victim.worker}.${victim.incarnation}`, Date.now());
      const next = start(victim.worker, victim.incarnation + 1);
      pool[pool.indexOf(victim)] = next;
      await next.ready;
    }
    await sleep(300);
    for (const l of pool) if (l.child.connected) l.child.send({ t: 'stop' });
    for (const l of pool) {
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        l.exited,
        new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 20_000))),
      ]);
      clearTimeout(timer);
      if (code === 'timeout') {
        l.child.kill('SIGKILL');
        errors.push(`worker ${l.worker}.${l.incarnation} did not stop within 20 s`);
      } else if (code !== 0)
        errors.push(
          `worker ${l.worker}.${l.incarnation} exited with ${code}: ${l.stderr.trim().split('\n').slice(-3).join(' | ')}`,
        );
    }
  } catch (error) {
    errors.push((error as Error).message);
    for (const l of pool) l.child.kill('SIGKILL');
  }
  errors.push(...history.errors);

  const slack = caps.clock === 'injectable' ? 50 : (caps.tolerances?.expiryMs ?? 250);
  const ctx: CheckContext = {
    rt,
    surfaces,
    history,
    leaseMs,
    killed,
    reapableAt,
    expirySlackMs: slack,
    dataspaceEvents,
    onDrain: (kind, p) => options.onProgress?.({ type: 'drain', kind, ...p }),
    async waitForLeases() {
      const until = lastKill + leaseMs + slack + 100;
      if (Date.now() < until) await sleep(until - Date.now());
    },
  };
  const results: CertificateDocument['crash'] = [];
  for (const kind of kinds) {
    const k0 = performance.now();
    let violations: string[];
    try {
      violations = errors.length > 0 ? [] : await ((projection ? PROJECTION_CHECKS : CHECKS)[kind] as CrashCheck)(ctx);
    } catch (error) {
      violations = [`the check itself failed: ${(error as Error).message}`];
    }
    options.onProgress?.({ type: 'check', kind, violations, durationMs: performance.now() - k0 });
    results.push({
      scenario: `${options.killBackend ? 'process-and-backend-kill' : 'process-kill'}/${kind}`,
      kinds: [kind],
      kills: killsDone,
      backendKills,
      // A projection's run counts its catch-ups and the source appends they fold.
      acknowledged:
        history.acknowledgedOf(kind) +
        (projection && kind !== 'log' ? history.of('log', 'append').filter((o) => o.state === 'acked').length : 0),
      checks: options.killBackend ? ['process-crash', 'backend-crash'] : ['process-crash'],
      status: errors.length > 0 || violations.length > 0 ? 'fail' : 'pass',
      violations: errors.length > 0 ? errors : violations.slice(0, 50),
      violationCount: errors.length > 0 ? errors.length : violations.length,
      seed,
      durationMs: performance.now() - k0,
    });
  }
  await subscription?.close();
  await reading.catch(() => undefined);
  await rt.close();
  await target.dispose?.(namespace);
  const verdict = results.every((r) => r.status === 'pass') ? 'pass' : 'fail';
  options.onProgress?.({ type: 'done', verdict, durationMs: performance.now() - t0 });
  return { verdict, cls, seed, results, errors, backendKills, history };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves when `live` reports a large batch in flight (or after `ms`): the moment to aim a kill. */
function untilBatchInvoked(live: Live, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      live.onMessage = undefined;
      resolve();
    }
    live.onMessage = (m) => {
      if (m.t === 'invoke' && appendSize(m.args) >= 20) done();
    };
  });
}

/** What the dataspace check reads of an event: no asserted value (a run sees hundreds of thousands). */
function eventRecord(e: DataspaceView<unknown>): DataspaceEventRecord {
  if (e.type === 'retracted') return { type: e.type, revision: e.revision, id: e.id, session: e.session };
  return e.type === 'resync' ? { type: e.type } : { type: e.type, revision: e.revision };
}
