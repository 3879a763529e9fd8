import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { ManifestDocument, ProbeResultDocument } from '@stateproof/spec';
import type { Adapter } from '../adapter/adapter.js';
import type { DataspaceStore } from '../adapter/dataspace-store.js';
import type { QueueStore } from '../adapter/queue-store.js';
import { InvalidOptionsError } from '../errors/input-errors.js';
import { ClosedError } from '../errors/outcome-errors.js';
import { ClosedGate } from '../guard/closed-gate.js';
import { guardAdapter } from '../guard/guard-adapter.js';
import { buildManifest } from '../manifest/build-manifest.js';
import { defaultRegistry } from '../registry/registry.js';
import type { RuntimeScope } from '../scope/runtime-scope.js';
import type { AnySurface } from '../surface/surface.js';
import { systemClock } from '../time/clock.js';
import { BoundSurfaces } from './bound-surfaces.js';
import { DeploymentLease } from './deployment-lease.js';
import { codecsOf, createHandle, type HandleDeps } from './handle-factory.js';
import type { LogStore } from '../adapter/log-store.js';
import type { RecordStore } from '../adapter/record-store.js';
import type { ValueCodec } from '../codec/value-codec.js';
import { Projector } from '../projection/projector.js';
import { checkProjectOptions, type ProjectedValue, type ProjectOptions } from '../projection/project-options.js';
import type { HandleOf } from './handle-of.js';
import { LogHandle } from './handles/log-handle.js';
import { MaintenanceLoop, type MaintenanceReport } from './maintenance-loop.js';
import { pruneInBatches } from './prune-in-batches.js';
import type { Mode } from './mode.js';
import type { Runtime } from './runtime.js';
import { checkRuntimeOptions, type RuntimeOptions } from './runtime-options.js';
import {
  checkHostable,
  checkManifest,
  checkProjectionSources,
  startupScope,
  surfacesById,
  type HostContext,
} from './startup-checks.js';
import { stderrLogger, ViolationReporter, type Violation } from './violation-reporter.js';

/**
 * Binds surfaces to an adapter and seals the registry. Applies every startup check that needs no
 * second process (missing scope, duplicate ids, fingerprint differing from the build-time manifest,
 * memory-backed durable surface, class the adapter cannot certify, restart-safe-local with several
 * replicas) and registers this process's fingerprint with the adapter's deployment registry (a live
 * peer of the same deployment with another fingerprint is STATEPROOF_RUNTIME_MISMATCH). Each
 * violation follows the mode: off allows, warn logs once and proceeds, enforce refuses startup.
 */
export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  const o = checkRuntimeOptions(options);
  const adapter = o.adapter;
  const reporter = new ViolationReporter(o.mode, o.logger ?? stderrLogger);
  const scope = startupScope(adapter.namespace, o, reporter);
  const registry = o.registry ?? defaultRegistry();
  registry.seal(reporter);
  const byId = surfacesById(o.surfaces ?? registry.list(), reporter);
  const manifest = buildManifest(byId.values(), { app: scope.app });
  checkManifest(o.manifest, manifest, reporter);

  const probe = await adapter.probe();
  const runtime = new OpenRuntime(
    adapter,
    scope,
    o.mode,
    reporter,
    manifest,
    probe,
    o.replicas,
    o.allowLocalState,
    o.flushOnCloseMs,
  );
  await runtime.start(
    [...byId.values()],
    o.instance ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    o.maintenanceIntervalMs,
  );
  return runtime;
}

/** The runtime {@link openRuntime} returns; module-private, so that only openRuntime builds one. */
class OpenRuntime implements Runtime {
  readonly adapter: Adapter;
  private readonly gate = new ClosedGate();
  private readonly surfaces: BoundSurfaces;
  private readonly maintenance = new MaintenanceLoop(() => this.pass());
  private readonly handleDeps: HandleDeps;
  private readonly host: HostContext;
  private lease: DeploymentLease | undefined;
  private closed = false;
  private readonly projectors = new Set<{ stop(): Promise<void> }>();

  constructor(
    /** The adapter as given: the runtime owns it and closes it. */
    private readonly raw: Adapter,
    readonly scope: RuntimeScope,
    readonly mode: Mode,
    private readonly reporter: ViolationReporter,
    readonly manifest: ManifestDocument,
    readonly probe: ProbeResultDocument,
    replicas: number,
    allowLocal: readonly string[],
    /** The longest `close()` waits for telemetry on its way to the backend. */
    private readonly flushOnCloseMs: number,
  ) {
    this.adapter = guardAdapter(raw, this.gate);
    this.host = { adapter: raw, probe, reporter, replicas, allowLocal };
    this.surfaces = new BoundSurfaces(this.adapter, scope, reporter, (surface) => checkHostable(surface, this.host));
    this.handleDeps = {
      scope,
      manifest,
      reporter,
      clock: raw.clock ?? systemClock,
      features: (kind) => (raw.capabilities.kinds[kind]?.features ?? {}) as Record<string, boolean | undefined>,
    };
  }

  get fingerprint(): string {
    return this.manifest.fingerprint;
  }

  get violations(): readonly Violation[] {
    return this.reporter.violations;
  }

  /** Checks and binds `surfaces`, waits for their stores, joins the deployment registry and starts maintenance. */
  async start(surfaces: readonly AnySurface[], instance: string, intervalMs: number | false): Promise<void> {
    for (const s of surfaces) checkHostable(s, this.host);
    checkProjectionSources(surfaces);
    for (const s of surfaces) this.surfaces.bind(s);
    await this.surfaces.opened();
    const registry = this.raw.deployments;
    if (registry) {
      const member = {
        app: this.scope.app,
        deployment: this.scope.deployment,
        instance,
        fingerprint: this.fingerprint,
      };
      this.lease = await DeploymentLease.join(registry, member, intervalMs, this.reporter);
    }
    if (intervalMs !== false) this.maintenance.start(intervalMs, stderrLogger);
  }

  use<S extends AnySurface>(surface: S): HandleOf<S> {
    return this.handle(surface) as HandleOf<S>;
  }

  project<P extends AnySurface, S>(
    projection: P,
    options: ProjectOptions<S, ProjectedValue<P>>,
  ): Projector<S, ProjectedValue<P>> {
    if (this.closed) throw new ClosedError('runtime');
    const o = checkProjectOptions(projection, options);
    const b = this.resolve(projection);
    const codec = codecsOf(b.surface, this.handleDeps).value as ValueCodec<ProjectedValue<P>>;
    const projector = new Projector<S, ProjectedValue<P>>({
      projection: b.surface,
      store: b.store as Promise<RecordStore | LogStore>,
      codec,
      source: this.use(o.source) as LogHandle<S>,
      stream: o.stream,
      project: o.project,
      batch: o.batch,
      pollMs: o.pollMs,
    });
    this.projectors.add(projector);
    return projector;
  }

  private resolve(surface: AnySurface) {
    if (typeof surface !== 'object' || surface === null || typeof surface.id !== 'string' || !surface.definition) {
      const message = 'use() takes a surface returned by record(), log(), claim(), queue(), dataspace() or channel()';
      throw new InvalidOptionsError(message, { path: 'surface' });
    }
    return this.surfaces.resolve(surface);
  }

  private handle(surface: AnySurface): unknown {
    if (this.closed) throw new ClosedError('runtime');
    const b = this.resolve(surface);
    b.handles.user ??= createHandle(b.surface, b.store, this.handleDeps);
    return b.handles.user;
  }

  async maintain(): Promise<MaintenanceReport> {
    if (this.closed) throw new ClosedError('runtime');
    return this.maintenance.run();
  }

  /**
   * One maintenance pass: the reapers of every bound queue and dataspace, their retention (pruned in
   * small batches, at most a bounded number per pass), then the fingerprint lease.
   */
  private async pass(): Promise<MaintenanceReport> {
    // An adapter closed under the runtime is not maintained: no reaping, and no lease that says it lives.
    this.gate.assertOpen();
    const report: MaintenanceReport = { queues: {}, dataspaces: {}, pruned: {} };
    for (const { surface, store } of this.surfaces.ids()) {
      if (surface.kind === 'queue') {
        const queue = (await store) as QueueStore;
        report.queues[surface.id] = await queue.reap();
        report.pruned[surface.id] = await pruneInBatches((n) => queue.prune(n));
      }
      if (surface.kind === 'record') {
        const records = (await store) as RecordStore;
        if (records.prune) report.pruned[surface.id] = await pruneInBatches((n) => records.prune!(n));
      }
      if (surface.kind === 'dataspace') {
        const dataspace = (await store) as DataspaceStore;
        report.dataspaces[surface.id] = await dataspace.reap();
        report.pruned[surface.id] = await pruneInBatches((n) => dataspace.prune(n));
      }
    }
    await this.lease?.renew();
    return report;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.maintenance.stop();
    await Promise.all([...this.projectors].map((p) => p.stop()));
    // One deadline for every handle: a backend that never answers holds the close this long at most.
    const deadline = Date.now() + this.flushOnCloseMs;
    for (const b of this.surfaces.all()) {
      for (const h of Object.values(b.handles))
        if (h instanceof LogHandle) await h.flush({ timeoutMs: Math.max(0, deadline - Date.now()) });
    }
    this.closed = true;
    this.gate.close('runtime');
    await this.lease?.leave().catch(() => undefined);
    await this.raw.close();
  }
}
