import { CLASSES, type ManifestDocument, type ProbeResultDocument, type SurfaceKind } from '@stateproof/spec';
import type { Adapter } from '../adapter/adapter.js';
import { InvalidOptionsError } from '../errors/input-errors.js';
import { UnsupportedError } from '../errors/outcome-errors.js';
import { projectionSourceProblem } from '../surface/class-rules.js';
import { diffSurfaces } from '../manifest/manifest-diff.js';
import { sameContract } from '../registry/registry.js';
import type { RuntimeScope } from '../scope/runtime-scope.js';
import { validateKey } from '../scope/validate-key.js';
import type { AnySurface } from '../surface/surface.js';
import type { ViolationReporter } from './violation-reporter.js';

/** The adapter method that opens a store of each kind. */
export const OPENER = {
  record: 'openRecord',
  log: 'openLog',
  claim: 'openClaim',
  queue: 'openQueue',
  dataspace: 'openDataspace',
  channel: 'openChannel',
} as const satisfies Record<SurfaceKind, keyof Adapter>;

/** What the hosting check of a surface looks at. */
export interface HostContext {
  readonly adapter: Adapter;
  /** What the adapter's probe reported at startup. */
  readonly probe: ProbeResultDocument;
  readonly reporter: ViolationReporter;
  readonly replicas: number;
  /** Restart-safe-local surface ids allowed with several replicas. */
  readonly allowLocal: readonly string[];
}

/**
 * The scope of every key of the runtime. A missing app or deployment falls back to `default` and is
 * STATEPROOF_MISSING_SCOPE; either must be a valid key.
 */
export function startupScope(
  namespace: string,
  given: { readonly app?: string | undefined; readonly deployment?: string | undefined },
  reporter: ViolationReporter,
): RuntimeScope {
  const missing = (['app', 'deployment'] as const).filter((k) => given[k] === undefined);
  if (missing.length > 0) {
    reporter.report(
      'STATEPROOF_MISSING_SCOPE',
      `openRuntime has no ${missing.join(' and ')}; keys fall back to "default"`,
      {
        path: missing[0] as string,
      },
    );
  }
  const app = given.app ?? 'default';
  const deployment = given.deployment ?? 'default';
  validateKey(app, 'app');
  validateKey(deployment, 'deployment');
  return { namespace, app, deployment };
}

/** Reports a surface id bound a second time with another contract (STATEPROOF_DUPLICATE_ID). */
export function reportDuplicate(reporter: ViolationReporter, id: string): void {
  reporter.report('STATEPROOF_DUPLICATE_ID', `surface id "${id}" is bound twice with different contracts`, {
    subject: id,
  });
}

/** The surfaces to bind by id, the first of each id kept; a later one with another contract is a duplicate. */
export function surfacesById(surfaces: readonly AnySurface[], reporter: ViolationReporter): Map<string, AnySurface> {
  const byId = new Map<string, AnySurface>();
  for (const s of surfaces) {
    const prior = byId.get(s.id);
    if (prior && !sameContract(prior, s)) reportDuplicate(reporter, s.id);
    if (!prior) byId.set(s.id, s);
  }
  return byId;
}

/**
 * Reports STATEPROOF_MANIFEST_MISMATCH when the bound surfaces hash to another fingerprint than the
 * build-time manifest (or fingerprint) says, with the surfaces added, removed and changed when the
 * manifest is given whole.
 */
export function checkManifest(
  expected: ManifestDocument | string | undefined,
  manifest: ManifestDocument,
  reporter: ViolationReporter,
): void {
  if (expected === undefined) return;
  const fingerprint = typeof expected === 'string' ? expected : expected.fingerprint;
  if (fingerprint === manifest.fingerprint) return;
  const diff = typeof expected === 'string' ? undefined : diffSurfaces(expected.surfaces, manifest.surfaces);
  const changes = (list: readonly string[]) => list.join(', ') || 'none';
  reporter.report(
    'STATEPROOF_MANIFEST_MISMATCH',
    `this process's surfaces hash to ${manifest.fingerprint}, the build-time manifest says ${fingerprint}` +
      (diff
        ? ` (added: ${changes(diff.added)}; removed: ${changes(diff.removed)}; changed: ${changes(diff.changed)})`
        : ''),
    { details: { expected: fingerprint, actual: manifest.fingerprint, ...(diff ? { diff } : {}) } },
  );
}

/**
 * Checks that the adapter can host `surface`: it opens the kind and claims the features the surface
 * declares (else UnsupportedError); its probe certifies a class that hosts the surface's class (else
 * STATEPROOF_MEMORY_DURABLE or STATEPROOF_CLASS_NOT_CERTIFIED); and a restart-safe-local surface
 * does not run with several replicas unless allowed (else STATEPROOF_LOCAL_MULTI_REPLICA).
 */
export function checkHostable(surface: AnySurface, host: HostContext): void {
  const { adapter, probe, reporter } = host;
  const support = adapter.capabilities.kinds[surface.kind];
  if (!support || typeof adapter[OPENER[surface.kind]] !== 'function') {
    throw new UnsupportedError(`${surface.kind} surface "${surface.id}"`, adapter.name);
  }
  const features = support.features as Record<string, boolean | undefined>;
  const d = surface.definition;
  const need = (feature: string, what: string) => {
    if (features[feature] !== true) {
      throw new UnsupportedError(`${what} of surface "${surface.id}" (feature "${feature}")`, adapter.name);
    }
  };
  if (d.bounds.ttlMs !== undefined) need('ttl', 'a default TTL');
  if (d.bounds.maxEntries !== undefined || d.bounds.maxAgeMs !== undefined) need('retention', 'log retention');
  if (d.options.maxRuntimeMs !== undefined) need('maxRuntime', 'maxRuntimeMs');
  if (d.options.concurrency && Object.keys(d.options.concurrency).length > 0) need('concurrency', 'concurrency limits');

  const cls = CLASSES[surface.class];
  const certified = new Set(probe.classes.filter((c) => c.certified).map((c) => c.class));
  const hostable = cls.hostedBy.some((h) => support.classes.includes(h) && certified.has(h));
  if (!hostable) {
    if (cls.durable && adapter.capabilities.backend === 'memory') {
      reporter.report(
        'STATEPROOF_MEMORY_DURABLE',
        `${surface.class} surface "${surface.id}" is bound to the memory adapter and will lose everything on restart`,
        { subject: surface.id },
      );
    } else {
      const reasons = probe.classes
        .filter((c) => cls.hostedBy.includes(c.class))
        .flatMap((c) => [
          ...c.reasons.map((r) => `${c.class}: ${r}`),
          ...(c.fixes ?? []).map((f) => `${c.class}: to certify: ${f}`),
        ]);
      const target = ['memory', 'sqlite', 'postgres', 'redis'].includes(adapter.name)
        ? adapter.name
        : './your-adapter-module.js';
      const next = `stateproof probe --adapter ${target} --url <the same backend> --class ${surface.class}`;
      reporter.report(
        'STATEPROOF_CLASS_NOT_CERTIFIED',
        `the ${adapter.name} adapter cannot certify ${surface.class} for ${surface.kind} surface "${surface.id}" ` +
          `(claims ${support.classes.join(', ') || 'nothing'}; probe: ${reasons.join('; ') || 'no reason given'}). ` +
          `Next: \`${next}\` prints each setting read, the reason and the change that would certify it`,
        { subject: surface.id, details: { claimed: support.classes, reasons, next } },
      );
    }
  }
  if (surface.class === 'restart-safe-local' && host.replicas > 1 && !host.allowLocal.includes(surface.id)) {
    reporter.report(
      'STATEPROOF_LOCAL_MULTI_REPLICA',
      `restart-safe-local surface "${surface.id}" runs with ${host.replicas} replicas; ` +
        'each replica would see its own state',
      { subject: surface.id },
    );
  }
}

/**
 * Refuses a derived projection whose source, bound in the same runtime, cannot be one (telemetry,
 * ephemeral, not a log): the rule the definitions apply when the source is defined first
 * (spec/contract/classes.md, PRJ-001), applied here for sources defined after their projections.
 */
export function checkProjectionSources(surfaces: readonly AnySurface[]): void {
  const byId = new Map(surfaces.map((s) => [s.id, s]));
  for (const p of surfaces) {
    const source = p.class === 'derived-projection' && p.definition.source ? byId.get(p.definition.source) : undefined;
    const problem = source && projectionSourceProblem(source);
    if (problem)
      throw new InvalidOptionsError(`derived projection "${p.id}" cannot be bound: ${problem}`, {
        path: 'source',
        hint: 'Project from an authoritative log (ephemeral and telemetry are not; spec/contract/classes.md, PRJ-001).',
      });
  }
}
