import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { CLASSES, type ManifestDocument, type ProbeResultDocument, type SurfaceKind } from '@stateproof/spec';
import type { Adapter } from '../adapter/adapter.js';
import type { AnyBinding } from '../adapter/surface-binding.js';
import { bindingOf } from './binding-of.js';
import { CODEC_ID } from '../codec/envelope.js';
import { ValueCodec } from '../codec/value-codec.js';
import { InvalidOptionsError } from '../errors/input-errors.js';
import { ClosedError, UnsupportedError } from '../errors/outcome-errors.js';
import { buildManifest } from '../manifest/build-manifest.js';
import { diffSurfaces } from '../manifest/manifest-diff.js';
import { defaultRegistry, Registry, sameContract } from '../registry/registry.js';
import type { RuntimeScope } from '../scope/runtime-scope.js';
import { validateKey } from '../scope/validate-key.js';
import type { AnySurface } from '../surface/surface.js';
import { systemClock } from '../time/clock.js';
import { optionalInt, optionObject } from '../validation/option-checks.js';
import { HandleContext } from './handle-context.js';
import type { HandleOf } from './handle-of.js';
import { ChannelHandle } from './handles/channel-handle.js';
import { ClaimHandle } from './handles/claim-handle.js';
import { DataspaceHandle } from './handles/dataspace-handle.js';
import { LogHandle } from './handles/log-handle.js';
import { QueueHandle } from './handles/queue-handle.js';
import { RecordHandle } from './handles/record-handle.js';
import { DEFAULT_MODE, MODES, type Mode } from './mode.js';
import { stderrLogger, ViolationReporter, type Logger, type Violation } from './violation-reporter.js';

/** Options of {@link openRuntime}. */
export interface RuntimeOptions {
  /** The backend. On success the runtime owns it and closes it on {@link Runtime.close}. */
  readonly adapter: Adapter;
  /** The app; part of every key. Missing → STATEPROOF_MISSING_SCOPE. */
  readonly app?: string;
  /** The deployment (build) id; part of deployment-scoped keys and of the fingerprint registry. Missing → STATEPROOF_MISSING_SCOPE. */
  readonly deployment?: string;
  /** off | warn (default) | enforce. */
  readonly mode?: Mode;
  /** Surfaces to bind (default: every surface of the registry). */
  readonly surfaces?: readonly AnySurface[];
  /** Registry to seal (default: the process-wide one). */
  readonly registry?: Registry;
  /** The build-time manifest (or its fingerprint) that this process must match. */
  readonly manifest?: ManifestDocument | string;
  /** Replicas of this deployment; more than one makes restart-safe-local surfaces a violation. */
  readonly replicas?: number;
  /** Restart-safe-local surface ids allowed with several replicas, on purpose. */
  readonly allowLocalState?: readonly string[];
  /** Where warnings go (default: stderr). */
  readonly logger?: Logger;
  /** Period of the background reaper and fingerprint lease renewal, in ms; false to run it only through maintain(). Default 1000. */
  readonly maintenanceIntervalMs?: number | false;
  /** Identity of this process in the deployment registry (default: host:pid:random). */
  readonly instance?: string;
}

const OPTION_KEYS = ['adapter', 'app', 'deployment', 'mode', 'surfaces', 'registry', 'manifest', 'replicas', 'allowLocalState', 'logger', 'maintenanceIntervalMs', 'instance'];

const OPENER = {
  record: 'openRecord',
  log: 'openLog',
  claim: 'openClaim',
  queue: 'openQueue',
  dataspace: 'openDataspace',
  channel: 'openChannel',
} as const satisfies Record<SurfaceKind, keyof Adapter>;

const ROLES: Record<SurfaceKind, ReadonlyArray<'value' | 'payload' | 'result' | 'message'>> = {
  record: ['value'],
  log: ['value'],
  claim: ['result'],
  queue: ['payload', 'result'],
  dataspace: ['value'],
  channel: ['message'],
};

interface Bound {
  readonly surface: AnySurface;
  readonly store: Promise<unknown>;
  readonly handles: { user?: unknown; projector?: unknown };
}

/** What one maintenance pass did, per surface id. */
export interface MaintenanceReport {
  readonly queues: Record<string, { lost: number; timedOut: number; requeued: number; failed: number; canceled: number }>;
  readonly dataspaces: Record<string, { expired: number; retracted: number }>;
}

function isAdapter(value: unknown): value is Adapter {
  const a = value as Partial<Adapter> | null;
  return typeof a === 'object' && a !== null && typeof a.probe === 'function' && typeof a.close === 'function' && typeof a.capabilities === 'object' && typeof a.namespace === 'string';
}

/**
 * Binds surfaces to an adapter and seals the registry. Applies every check of DESIGN section 5 that
 * needs no second process (memory-backed durable surface, class the adapter cannot certify,
 * fingerprint differing from the build-time manifest, missing scope, restart-safe-local with
 * several replicas) and registers this process's fingerprint with the adapter's deployment registry
 * (a live peer of the same deployment with another fingerprint is STATEPROOF_RUNTIME_MISMATCH).
 * Each violation follows the mode: off allows, warn logs once and proceeds, enforce refuses startup.
 */
export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  const o = optionObject(options, '', OPTION_KEYS) as unknown as RuntimeOptions;
  if (!isAdapter(o.adapter)) {
    throw new InvalidOptionsError('adapter must be a stateproof Adapter (for example memoryAdapter())', { path: 'adapter' });
  }
  const adapter = o.adapter;
  const mode = o.mode ?? DEFAULT_MODE;
  if (!MODES.includes(mode)) throw new InvalidOptionsError(`mode must be one of ${MODES.join(', ')}`, { path: 'mode' });
  const reporter = new ViolationReporter(mode, o.logger ?? stderrLogger);
  const replicas = optionalInt(o.replicas, 'replicas') ?? 1;
  const interval = o.maintenanceIntervalMs === false ? false : (optionalInt(o.maintenanceIntervalMs, 'maintenanceIntervalMs', { min: 10 }) ?? 1000);
  if (o.registry !== undefined && !(o.registry instanceof Registry)) throw new InvalidOptionsError('registry must be a Registry', { path: 'registry' });
  if (o.surfaces !== undefined && !Array.isArray(o.surfaces)) throw new InvalidOptionsError('surfaces must be an array of surfaces', { path: 'surfaces' });
  const allowLocal = o.allowLocalState ?? [];
  if (!Array.isArray(allowLocal)) throw new InvalidOptionsError('allowLocalState must be an array of surface ids', { path: 'allowLocalState' });

  const missing = (['app', 'deployment'] as const).filter((k) => o[k] === undefined);
  if (missing.length > 0) {
    reporter.report('STATEPROOF_MISSING_SCOPE', `openRuntime has no ${missing.join(' and ')}; keys fall back to "default"`, { path: missing[0] as string });
  }
  const app = o.app ?? 'default';
  const deployment = o.deployment ?? 'default';
  validateKey(app, 'app');
  validateKey(deployment, 'deployment');
  const scope: RuntimeScope = { namespace: adapter.namespace, app, deployment };

  const registry = o.registry ?? defaultRegistry();
  registry.seal(reporter);
  const surfaces = o.surfaces ?? registry.list();
  const byId = new Map<string, AnySurface>();
  for (const s of surfaces) {
    const prior = byId.get(s.id);
    if (prior && !sameContract(prior, s)) {
      reporter.report('STATEPROOF_DUPLICATE_ID', `surface id "${s.id}" is bound twice with different contracts`, { subject: s.id });
    }
    if (!prior) byId.set(s.id, s);
  }
  const manifest = buildManifest(byId.values(), { app });

  if (o.manifest !== undefined) {
    const expected = typeof o.manifest === 'string' ? o.manifest : o.manifest.fingerprint;
    if (expected !== manifest.fingerprint) {
      const diff = typeof o.manifest === 'string' ? undefined : diffSurfaces(o.manifest.surfaces, manifest.surfaces);
      reporter.report(
        'STATEPROOF_MANIFEST_MISMATCH',
        `this process's surfaces hash to ${manifest.fingerprint}, the build-time manifest says ${expected}` +
          (diff ? ` (added: ${diff.added.join(', ') || 'none'}; removed: ${diff.removed.join(', ') || 'none'}; changed: ${diff.changed.join(', ') || 'none'})` : ''),
        { details: { expected, actual: manifest.fingerprint, ...(diff ? { diff } : {}) } },
      );
    }
  }

  const probe = await adapter.probe();
  const runtime = new Runtime(adapter, scope, mode, reporter, manifest, probe, replicas, allowLocal);
  for (const s of byId.values()) runtime.check(s);
  for (const s of byId.values()) runtime.bind(s);
  await runtime.opened();
  await runtime.register(o.instance ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, interval);
  if (interval !== false) runtime.startMaintenance(interval);
  return runtime;
}

/** A set of surfaces bound to one adapter under one scope and mode. */
export class Runtime {
  private readonly bound = new Map<AnySurface, Bound>();
  private readonly byId = new Map<string, Bound>();
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private maintaining: Promise<MaintenanceReport> | undefined;
  private member: { app: string; deployment: string; instance: string; fingerprint: string; leaseMs: number } | undefined;

  /** @internal use {@link openRuntime} */
  constructor(
    /** The adapter the surfaces are bound to. */
    readonly adapter: Adapter,
    /** Namespace, app and deployment of every key. */
    readonly scope: RuntimeScope,
    /** How violations are treated. */
    readonly mode: Mode,
    private readonly reporter: ViolationReporter,
    /** The manifest of the bound surfaces (built at startup). */
    readonly manifest: ManifestDocument,
    /** What the adapter's probe reported at startup. */
    readonly probe: ProbeResultDocument,
    private readonly replicas: number,
    private readonly allowLocal: readonly string[],
  ) {}

  /** Fingerprint of the bound surfaces. */
  get fingerprint(): string {
    return this.manifest.fingerprint;
  }

  /** Every violation observed so far (also the allowed ones in `off` mode). */
  get violations(): readonly Violation[] {
    return this.reporter.violations;
  }

  /** @internal Checks that the adapter can host the surface (kind, features, class). */
  check(surface: AnySurface): void {
    const caps = this.adapter.capabilities;
    const support = caps.kinds[surface.kind];
    if (!support || typeof this.adapter[OPENER[surface.kind]] !== 'function') {
      throw new UnsupportedError(`${surface.kind} surface "${surface.id}"`, this.adapter.name);
    }
    const features = support.features as Record<string, boolean | undefined>;
    const d = surface.definition;
    const need = (feature: string, what: string) => {
      if (features[feature] !== true) throw new UnsupportedError(`${what} of surface "${surface.id}" (feature "${feature}")`, this.adapter.name);
    };
    if (d.bounds.ttlMs !== undefined) need('ttl', 'a default TTL');
    if (d.bounds.maxEntries !== undefined || d.bounds.maxAgeMs !== undefined) need('retention', 'log retention');
    if (d.options.maxRuntimeMs !== undefined) need('maxRuntime', 'maxRuntimeMs');
    if (d.options.concurrency && Object.keys(d.options.concurrency).length > 0) need('concurrency', 'concurrency limits');

    const cls = CLASSES[surface.class];
    const certified = new Set(this.probe.classes.filter((c) => c.certified).map((c) => c.class));
    const hostable = cls.hostedBy.some((h) => support.classes.includes(h) && certified.has(h));
    if (!hostable) {
      if (cls.durable && caps.backend === 'memory') {
        this.reporter.report('STATEPROOF_MEMORY_DURABLE', `${surface.class} surface "${surface.id}" is bound to the memory adapter and will lose everything on restart`, {
          subject: surface.id,
        });
      } else {
        const reasons = this.probe.classes.filter((c) => cls.hostedBy.includes(c.class)).flatMap((c) => c.reasons.map((r) => `${c.class}: ${r}`));
        this.reporter.report(
          'STATEPROOF_CLASS_NOT_CERTIFIED',
          `the ${this.adapter.name} adapter cannot certify ${surface.class} for ${surface.kind} surface "${surface.id}" (claims ${support.classes.join(', ') || 'nothing'}; probe: ${reasons.join('; ') || 'no reason given'})`,
          { subject: surface.id, details: { claimed: support.classes, reasons } },
        );
      }
    }
    if (surface.class === 'restart-safe-local' && this.replicas > 1 && !this.allowLocal.includes(surface.id)) {
      this.reporter.report('STATEPROOF_LOCAL_MULTI_REPLICA', `restart-safe-local surface "${surface.id}" runs with ${this.replicas} replicas; each replica would see its own state`, {
        subject: surface.id,
      });
    }
  }

  /** @internal Opens the surface's store (once) and remembers it. */
  bind(surface: AnySurface): Bound {
    const existing = this.bound.get(surface);
    if (existing) return existing;
    const binding = bindingOf(surface, this.scope);
    const opener = this.adapter[OPENER[surface.kind]] as (b: AnyBinding) => Promise<unknown>;
    const store = opener.call(this.adapter, binding);
    store.catch(() => undefined);
    const b: Bound = { surface, store, handles: {} };
    this.bound.set(surface, b);
    if (!this.byId.has(surface.id)) this.byId.set(surface.id, b);
    return b;
  }

  /** @internal Waits for every store opened at startup. */
  async opened(): Promise<void> {
    await Promise.all([...this.bound.values()].map((b) => b.store));
  }

  /**
   * The typed handle of a surface. A surface that was not bound at startup (defined later, or not
   * in the list) is checked and bound now; defining it after startup was already reported by the registry.
   */
  use<S extends AnySurface>(surface: S): HandleOf<S> {
    return this.handle(surface, 'user') as HandleOf<S>;
  }

  /** The writing handle of a derived projection; only the projector may write one. */
  projector<S extends AnySurface>(surface: S): HandleOf<S> {
    if (surface?.class !== 'derived-projection') {
      throw new InvalidOptionsError(`projector() is for derived-projection surfaces; "${surface?.id}" is ${surface?.class}`, { path: 'surface' });
    }
    return this.handle(surface, 'projector') as HandleOf<S>;
  }

  private handle(surface: AnySurface, writer: 'user' | 'projector'): unknown {
    if (this.closed) throw new ClosedError('runtime');
    if (typeof surface !== 'object' || surface === null || typeof surface.id !== 'string' || !surface.definition) {
      throw new InvalidOptionsError('use() takes a surface returned by record(), log(), claim(), queue(), dataspace() or channel()', { path: 'surface' });
    }
    let b = this.bound.get(surface);
    if (!b) {
      const other = this.byId.get(surface.id);
      if (other && sameContract(other.surface, surface)) {
        b = other;
      } else {
        if (other) this.reporter.report('STATEPROOF_DUPLICATE_ID', `surface id "${surface.id}" is bound twice with different contracts`, { subject: surface.id });
        this.check(surface);
        b = this.bind(surface);
      }
    }
    const slot = writer === 'user' ? 'user' : 'projector';
    b.handles[slot] ??= this.createHandle(b, writer);
    return b.handles[slot];
  }

  private createHandle(b: Bound, writer: 'user' | 'projector'): unknown {
    const { surface } = b;
    const d = surface.definition;
    const codecs: Partial<Record<'value' | 'payload' | 'result' | 'message', ValueCodec<unknown>>> = {};
    for (const role of ROLES[surface.kind]) {
      codecs[role] = new ValueCodec({
        envelope: {
          codec: CODEC_ID,
          kind: surface.kind,
          surface: surface.id,
          app: this.scope.app,
          deployment: this.scope.deployment,
          fingerprint: this.manifest.fingerprint,
          schemaVersion: d.schemaVersion,
        },
        level: d.scope,
        maxValueBytes: d.bounds.maxValueBytes,
        validate: surface.validators[role],
        reporter: this.reporter,
        role,
      });
    }
    const features = (this.adapter.capabilities.kinds[surface.kind]?.features ?? {}) as Record<string, boolean | undefined>;
    const ctx = new HandleContext<never>(surface, b.store as Promise<never>, codecs, this.reporter, this.adapter.clock ?? systemClock, this.adapter.name, features, writer, () => this.closed);
    switch (surface.kind) {
      case 'record':
        return new RecordHandle(ctx);
      case 'log':
        return new LogHandle(ctx);
      case 'claim':
        return new ClaimHandle(ctx);
      case 'queue':
        return new QueueHandle(ctx);
      case 'dataspace':
        return new DataspaceHandle(ctx);
      case 'channel':
        return new ChannelHandle(ctx);
    }
  }

  /** @internal Registers this process in the deployment fingerprint registry, when the adapter has one. */
  async register(instance: string, interval: number | false): Promise<void> {
    const registry = this.adapter.deployments;
    if (!registry) return;
    const leaseMs = Math.max(3 * (interval === false ? 5000 : interval), 15_000);
    this.member = { app: this.scope.app, deployment: this.scope.deployment, instance, fingerprint: this.fingerprint, leaseMs };
    const peers = await registry.register({ app: this.scope.app, deployment: this.scope.deployment, instance, fingerprint: this.fingerprint }, leaseMs);
    const others = peers.filter((p) => p.fingerprint !== this.fingerprint);
    if (others.length > 0) {
      try {
        this.reporter.report(
          'STATEPROOF_RUNTIME_MISMATCH',
          `deployment "${this.scope.deployment}" of app "${this.scope.app}" has live peers with another fingerprint (${others.map((p) => `${p.instance}: ${p.fingerprint}`).join(', ')}); this process has ${this.fingerprint}`,
          { subject: this.scope.deployment, details: { peers: others.map((p) => ({ instance: p.instance, fingerprint: p.fingerprint })) } },
        );
      } catch (error) {
        await registry.unregister({ app: this.scope.app, deployment: this.scope.deployment, instance });
        this.member = undefined;
        throw error;
      }
    }
  }

  /** @internal */
  startMaintenance(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (!this.maintaining) this.maintain().catch((error: unknown) => stderrLogger.warn(`maintenance failed: ${(error as Error).message}`));
    }, intervalMs);
    this.timer.unref();
  }

  /**
   * Runs the reapers of every bound queue and dataspace now (any participant may; they are
   * conditional and idempotent) and renews this process's fingerprint lease.
   */
  async maintain(): Promise<MaintenanceReport> {
    if (this.closed) throw new ClosedError('runtime');
    this.maintaining ??= (async () => {
      await Promise.resolve(); // so that the finally below runs after the assignment
      const report: { queues: MaintenanceReport['queues']; dataspaces: MaintenanceReport['dataspaces'] } = { queues: {}, dataspaces: {} };
      try {
        for (const b of this.byId.values()) {
          if (b.surface.kind === 'queue') report.queues[b.surface.id] = await ((await b.store) as { reap(): Promise<MaintenanceReport['queues'][string]> }).reap();
          if (b.surface.kind === 'dataspace') report.dataspaces[b.surface.id] = await ((await b.store) as { reap(): Promise<MaintenanceReport['dataspaces'][string]> }).reap();
        }
        const m = this.member;
        if (m && this.adapter.deployments) await this.adapter.deployments.register({ app: m.app, deployment: m.deployment, instance: m.instance, fingerprint: m.fingerprint }, m.leaseMs);
        return report;
      } finally {
        this.maintaining = undefined;
      }
    })();
    return this.maintaining;
  }

  /** Flushes pending telemetry, leaves the deployment registry and closes the adapter. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    await this.maintaining?.catch(() => undefined);
    for (const b of this.bound.values()) {
      for (const h of Object.values(b.handles)) if (h instanceof LogHandle) await h.flush();
    }
    this.closed = true;
    const m = this.member;
    if (m && this.adapter.deployments) await this.adapter.deployments.unregister({ app: m.app, deployment: m.deployment, instance: m.instance }).catch(() => undefined);
    await this.adapter.close();
  }
}
