import { projectionSourceClass } from '../environment/projection-source-class.js';
import { randomInt } from 'node:crypto';
import { ManualClock, type AdapterCapabilities, type ProbeResult } from '@stateproof/core';
import {
  CLASSES,
  classAllowsKind,
  SPEC_VERSION,
  SURFACE_KINDS,
  type CertificateDocument,
  type ConformanceCheck,
  type DurabilityClass,
  type SurfaceKind,
} from '@stateproof/spec';
import { ALL_PROPERTIES } from '../properties/all-properties.js';
import { notApplicable } from './applicability.js';
import type { ConformanceTarget } from '../environment/conformance-target.js';
import { FixtureFactory } from '../environment/fixture.js';
import type { ProgressEvent } from './progress.js';
import type { ConcurrencyStats, PropertyEnv, PropertySpec } from '../environment/property-spec.js';
import {
  certificateVerdict,
  checkFamilyOf,
  missingCheck,
  propertyCheck,
  PROPERTY_CHECKS,
  settleClassVerdict,
  type FamilyEvidence,
} from './class-verdicts.js';
import { settleCrashRequirements } from './crash-requirements.js';
import { requirementVerdicts, type RequirementVerdict } from './requirement-verdicts.js';
import { SelectionError } from './selection-error.js';
import { selectProperties } from './run-selection.js';
import { runProperty, type PropertyOutcome } from './run-property.js';
import { createTargetAdapter } from './target-error.js';
import { CONFORMANCE_VERSION } from './tool-version.js';

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /** The adapter under test, as a target. */
  readonly target: ConformanceTarget;
  /** Kinds to check (default: all six; kinds the adapter does not support are skipped). */
  readonly kinds?: readonly SurfaceKind[];
  /** Classes to check (default: every class the adapter claims). */
  readonly classes?: readonly DurabilityClass[];
  /** Runs per property (default 30); properties scale it by their weight. */
  readonly runs?: number;
  /** Seed of the whole run (default: random, printed in the certificate). */
  readonly seed?: number;
  /** Only properties whose name matches (exact name, or a prefix ending in `/`). */
  readonly property?: string;
  /** With `property` and `seed`: replay the counterexample at this fast-check path. */
  readonly path?: string;
  /** With `path`: the command sequence's replay path (`replayPath` in a model property's counterexample). */
  readonly replayPath?: string;
  /** Progress events, for a CLI or a test reporter. */
  readonly onProgress?: (event: ProgressEvent) => void;
  /** The properties to run (default: the whole suite). */
  readonly properties?: readonly PropertySpec[];
  /** How the certificate names the adapter module (for `--adapter ./module.js`). */
  readonly module?: string;
  /** Longest one property run may take (default 20 s). */
  readonly runTimeoutMs?: number;
  /** Longest the shrinking of one failure may take (default 10 s); the smallest counterexample found by then is reported. */
  readonly shrinkTimeMs?: number;
  /** Stop at the first failed property; the rest are skipped (for `stateproof mutants`, where one failure is the verdict). */
  readonly failFast?: boolean;
}

/** Everything a run found: the certificate and the outcome of every property. */
export interface ConformanceReport {
  /** `fail` when anything checked failed. Whether each class is certified: `certificate.verdict` and `certificate.classes`. */
  readonly verdict: 'pass' | 'fail';
  /** The certificate of the run. */
  readonly certificate: CertificateDocument;
  /** The outcome of every property run, in plan order. */
  readonly outcomes: readonly PropertyOutcome[];
  /** The verdict on every requirement of the selected kinds. */
  readonly requirements: readonly RequirementVerdict[];
}

/** Derives a per-property seed from the run seed, so that one property can be replayed alone. */
export function propertySeed(seed: number, name: string, cls: string): number {
  let h = seed | 0;
  for (const c of `${name}\u0000${cls}`) h = (Math.imul(h ^ c.codePointAt(0)!, 0x01000193) + 0x9e3779b9) | 0;
  return h;
}

/**
 * Runs the conformance suite against a target and returns its report and certificate. Every claimed
 * class of every supported kind gets the properties that apply to it; requirements are traced to the
 * properties that cover them.
 */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const started = new Date();
  const t0 = performance.now();
  const seed = options.seed ?? randomInt(0, 2 ** 31 - 1);
  const runs = options.runs ?? 30;
  const kinds = options.kinds ?? SURFACE_KINDS;
  const target = options.target;

  // One adapter to read what it claims and what its backend certifies.
  const first = await createTargetAdapter(target, { namespace: `sp-conf-probe-${seed}`, clock: new ManualClock() });
  let capabilities: AdapterCapabilities;
  let probe: ProbeResult;
  let adapterVersion: string;
  try {
    capabilities = first.capabilities;
    probe = await first.probe();
    adapterVersion = target.version ?? first.version;
  } finally {
    await first.close();
    await target.dispose?.(`sp-conf-probe-${seed}`);
  }
  const exactTime = capabilities.clock === 'injectable';
  const fixtures = new FixtureFactory(target, exactTime, capabilities.tolerances?.expiryMs ?? 250);
  // A server-clock adapter that can take an injected clock runs the exact-time properties on one.
  const injected = !exactTime && target.clockInjection ? new FixtureFactory(target, true, 0, true) : undefined;
  const unsupported = new Set(kinds.filter((k) => !capabilities.kinds[k]));

  const universe = [
    ...ALL_PROPERTIES,
    ...(options.properties ?? []).filter((p) => !ALL_PROPERTIES.some((q) => q.name === p.name)),
  ];
  // Throws a SelectionError (nothing runs, no certificate) for a selection that names nothing.
  const selected = selectProperties(options.properties ?? ALL_PROPERTIES, {
    kinds,
    ...(options.classes ? { classes: options.classes } : {}),
    ...(options.property === undefined ? {} : { property: options.property }),
    capabilities,
  });
  // A claimed class the backend cannot hold (the probe refuses it): every property of it would fail
  // at startup with the same refusal, so none runs, and the class fails with the probe's reasons.
  const refusals = probeRefusals(probe);
  const sourceClass = projectionSourceClass(capabilities, (c) => refusals.has(c));
  const envFor = (spec: PropertySpec, cls: DurabilityClass, note: (s: ConcurrencyStats) => void): PropertyEnv => {
    const inject = spec.exactTime === true && injected !== undefined;
    return {
      cls,
      capabilities,
      ...(sourceClass ? { sourceClass } : {}),
      fixtures: inject ? injected : fixtures,
      exactTime: exactTime || inject,
      target,
      note,
      ...(options.replayPath === undefined ? {} : { replayPath: options.replayPath }),
    };
  };
  const plan: Array<{ spec: PropertySpec; cls: DurabilityClass; skip: string | undefined; refused?: true }> = [];
  const classRuns = new Map<string, { cls: DurabilityClass; kind: SurfaceKind; failed: boolean }>();
  // Per kind and class, per check family: what applies, what ran (for the class verdicts).
  type Evidence = { -readonly [F in keyof FamilyEvidence]: string[] };
  const evidence = new Map<string, Map<ConformanceCheck, Evidence>>();
  const family = (kind: SurfaceKind, cls: DurabilityClass, spec: PropertySpec): Evidence => {
    const key = `${kind}\u0000${cls}`;
    const byFamily = evidence.get(key) ?? new Map<ConformanceCheck, Evidence>();
    evidence.set(key, byFamily);
    const name = checkFamilyOf(spec);
    const e = byFamily.get(name) ?? { applicable: [], passed: [], failed: [], notRun: [], skipReasons: [] };
    byFamily.set(name, e);
    return e;
  };
  for (const kind of kinds) {
    const claimed = (capabilities.kinds[kind]?.classes ?? []).filter(
      (c) => classAllowsKind(c, kind) && (!options.classes || options.classes.includes(c)),
    );
    for (const cls of claimed) {
      const refused = refusals.get(cls);
      classRuns.set(`${kind}\u0000${cls}`, { cls, kind, failed: refused !== undefined });
      for (const spec of universe.filter((p) => p.kind === kind)) {
        if (refused !== undefined) {
          family(kind, cls, spec).skipReasons.push(`not run: the backend's probe refuses ${cls}`);
          if (selected.includes(spec)) plan.push({ spec, cls, skip: refused, refused: true });
          continue;
        }
        const skip = notApplicable(
          spec,
          envFor(spec, cls, () => undefined),
        );
        const e = family(kind, cls, spec);
        if (skip === undefined) e.applicable.push(spec.name);
        else e.skipReasons.push(`${spec.name}: ${skip}`);
        if (selected.includes(spec)) plan.push({ spec, cls, skip });
        else if (skip === undefined) e.notRun.push(spec.name);
      }
    }
  }
  if (!plan.some((p) => p.skip === undefined || p.refused)) {
    const option = options.property !== undefined ? 'property' : options.classes ? 'classes' : 'kinds';
    const reasons = [...new Set(plan.map((p) => `${p.spec.name} [${p.cls}]: ${p.skip}`))].slice(0, 5);
    throw new SelectionError(
      `the selection runs no property${reasons.length > 0 ? ` (${reasons.join('; ')})` : ` (the adapter claims no class for ${kinds.join(', ')})`}`,
      option,
      [...new Set(universe.filter((p) => kinds.includes(p.kind)).map((p) => p.name))],
    );
  }

  options.onProgress?.({ type: 'start', adapter: target.name, properties: plan.length, seed, runs });
  const outcomes: PropertyOutcome[] = [];
  const concurrency: CertificateDocument['concurrency'] = [];
  for (const [index, { spec, cls, skip: inapplicable }] of plan.entries()) {
    let stats: ConcurrencyStats | undefined;
    const inject = spec.exactTime === true && injected !== undefined;
    const env = envFor(spec, cls, (s) => (stats = s));
    const stopped = options.failFast && outcomes.some((o) => o.status === 'fail');
    const skip = stopped && !inapplicable ? 'not run: the run stopped at the first failure (failFast)' : inapplicable;
    if (stopped && !inapplicable) family(spec.kind, cls, spec).notRun.push(spec.name);
    options.onProgress?.({ type: 'property', index, total: plan.length, name: spec.name, cls });
    const outcome: PropertyOutcome = skip
      ? {
          name: spec.name,
          kind: spec.kind,
          requirements: spec.requirements,
          cls,
          status: 'skip',
          reason: skip,
          runs: 0,
          durationMs: 0,
        }
      : await runProperty(spec, env, {
          seed: propertySeed(seed, spec.name, cls),
          runs,
          ...(options.path === undefined ? {} : { path: options.path }),
          ...(options.runTimeoutMs === undefined ? {} : { runTimeoutMs: options.runTimeoutMs }),
          ...(options.shrinkTimeMs === undefined ? {} : { shrinkTimeMs: options.shrinkTimeMs }),
        });
    outcomes.push(inject && outcome.status !== 'skip' ? { ...outcome, clock: 'injected' } : outcome);
    if (outcome.status === 'fail') {
      const v = classRuns.get(`${spec.kind}\u0000${cls}`);
      if (v) v.failed = true;
      family(spec.kind, cls, spec).failed.push(spec.name);
    } else if (outcome.status === 'pass') family(spec.kind, cls, spec).passed.push(spec.name);
    if (spec.concurrency && outcome.status !== 'skip') {
      const s = stats as ConcurrencyStats | undefined;
      concurrency.push({
        kind: spec.kind,
        name: `${spec.name} [${cls}]`,
        clients: s?.clients ?? 1,
        operations: s?.operations ?? 0,
        status: outcome.status,
        // null (the checker gave up) must survive: `??` would turn it into a verdict.
        linearizable: s === undefined ? outcome.status === 'pass' : s.linearizable,
        ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
        durationMs: outcome.durationMs,
      });
    }
    options.onProgress?.({ type: 'property-done', index, total: plan.length, outcome });
  }

  const adapterArg = options.module ?? target.name;
  const classes = [...classRuns.values()].map((v) =>
    settleClassVerdict(
      v.cls,
      v.kind,
      CLASSES[v.cls].checks.map((check) =>
        PROPERTY_CHECKS.includes(check)
          ? propertyCheck(check, v.kind, evidence.get(`${v.kind}\u0000${v.cls}`)?.get(check))
          : missingCheck(check, v.kind),
      ),
      v.failed,
    ),
  );
  const propertyVerdicts = requirementVerdicts(outcomes, {
    kinds,
    unsupported,
    replayCommand: (o) =>
      `stateproof conform --adapter ${adapterArg} --property ${o.name} --class ${o.cls} --seed ${seed}${o.replay?.path ? ` --path ${o.replay.path}` : ''}${o.replay?.replayPath ? ` --replay-path ${o.replay.replayPath}` : ''}`,
  });
  // A durability requirement a crash decides is not passed by close-and-reopen alone.
  const requirements = settleCrashRequirements(propertyVerdicts, classes);
  const verdict =
    requirements.some((r) => r.status === 'fail') ||
    concurrency.some((c) => c.status === 'fail') ||
    plan.some((p) => p.refused)
      ? 'fail'
      : 'pass';
  const backend = (await target.describeBackend?.()) ?? {
    name: probe.backend.name,
    ...(probe.backend.version ? { version: probe.backend.version } : {}),
    settings: probe.settings,
  };
  const finished = new Date();
  const durationMs = performance.now() - t0;
  const certificate: CertificateDocument = {
    certificateVersion: 2,
    specVersion: SPEC_VERSION,
    tool: { name: '@stateproof/conformance', version: CONFORMANCE_VERSION },
    adapter: { name: target.name, version: adapterVersion, ...(options.module ? { module: options.module } : {}) },
    backend,
    capabilities,
    probe,
    run: {
      seed,
      runs,
      kinds: [...kinds],
      classes: [...new Set([...classRuns.values()].map((v) => v.cls))],
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    verdict: certificateVerdict(classes, verdict === 'fail'),
    classes,
    requirements: requirements.map((r) => ({ ...r })),
    concurrency,
    crash: [],
  };
  options.onProgress?.({ type: 'done', verdict, durationMs });
  return { verdict, certificate, outcomes, requirements };
}

/**
 * The classes the backend's probe refuses, each with the reason a run gives for not checking it:
 * the probe's own reasons (which name the setting to change), and where to go next.
 */
function probeRefusals(probe: ProbeResult): Map<DurabilityClass, string> {
  const out = new Map<DurabilityClass, string>();
  for (const c of probe.classes)
    if (!c.certified)
      out.set(
        c.class,
        `the backend cannot hold ${c.class}, by its adapter's probe: ${c.reasons.join('; ')}${c.fixes?.length ? `; to certify: ${c.fixes.join('; ')}` : ''}. Run against a backend configured for it (for a server adapter, \`--own-server\` starts one)`,
      );
  return out;
}
