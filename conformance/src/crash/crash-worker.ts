/**
 * A crash worker: a child process of the crash harness that opens the target's adapter, runs the
 * workloads of the kinds it is given, and reports every operation to the harness (invoked, then
 * acknowledged) before it goes on, until it is told to stop or killed with SIGKILL.
 */
import { createRegistry, openRuntime, systemClock } from '@stateproof/core';
import { CRASH_CONFIG_ENV, type HarnessMessage, type WorkerConfig } from './crash-protocol.js';
import { defineCrashSurfaces } from './crash-surfaces.js';
import { PROJECTION_WORKLOAD, WORKLOADS } from './crash-workloads.js';
import { loadTarget } from './load-target.js';
import { seededRandom } from './seeded-random.js';
import { send, workerContext } from './worker-context.js';

const raw = process.env[CRASH_CONFIG_ENV];
if (!raw) {
  console.error(`crash worker: ${CRASH_CONFIG_ENV} is not set; this process is started by the crash harness`);
  process.exit(2);
}
const config = JSON.parse(raw) as WorkerConfig;
let stopping = false;
process.on('message', (m: HarnessMessage) => {
  if (m.t === 'stop') stopping = true;
});
// The harness going away (its IPC channel closing) ends the worker too: never an orphan.
process.on('disconnect', () => process.exit(0));

try {
  const target = await loadTarget(config.spawn);
  const adapter = await target.create({ namespace: config.namespace, clock: systemClock });
  const registry = createRegistry();
  const { surfaces, list } = defineCrashSurfaces(
    registry,
    config.cls,
    config.kinds,
    config.leaseMs,
    config.sourceClass,
  );
  const rt = await openRuntime({
    adapter,
    app: 'crash',
    deployment: 'run',
    mode: 'enforce',
    registry,
    surfaces: list,
    maintenanceIntervalMs: false,
    logger: { warn: () => undefined },
    instance: `w${config.worker}.${config.incarnation}`,
  });
  const ctx = workerContext(
    config,
    rt,
    surfaces,
    seededRandom(config.seed ^ (config.worker * 7919) ^ (config.incarnation * 104729)),
    () => stopping,
  );
  await send({ t: 'ready' });
  if (config.cls === 'derived-projection') await PROJECTION_WORKLOAD(ctx);
  else await Promise.all(config.kinds.map((kind) => WORKLOADS[kind]?.(ctx)));
  await rt.close();
  process.exit(0);
} catch (error) {
  await send({ t: 'error', message: (error as Error)?.stack ?? String(error) }).catch(() => undefined);
  process.exit(1);
}
