import { existsSync } from 'node:fs';
import { probeableBackends, type ProbedBackends } from './rules/current-class.js';
import { join, resolve } from 'node:path';
import {
  ManifestSchema,
  checkInventory,
  inventoryEntries,
  manifestFingerprint,
  type DeploymentConfig,
  type InventoryDocument,
  type ManifestDocument,
  type SurfaceDefinitionDocument,
} from '@stateproof/spec';
import { breakingChanges } from './breaking/breaking-changes.js';
import { DEFAULT_BREAKING_LEVEL, type BreakingLevel } from './breaking/breaking-level.js';
import { readBase } from './breaking/read-base.js';
import { isInputProblem, sortDiagnostics, type LintDiagnostic } from './diagnostics/lint-diagnostic.js';
import { loadDocument, type LoadedDocument } from './documents/load-document.js';
import { extractProject } from './extract/extract-project.js';
import { MANIFEST_FILE, manifestDocument, manifestText } from './manifest/manifest-document.js';
import { displayPath } from './project/display-path.js';
import {
  duplicateEntryIds,
  localStateMultiReplica,
  projectionWithoutSource,
  telemetryAsAuthority,
  unboundedTelemetry,
  type AuthorityRuleOptions,
} from './rules/inventory-rules.js';
import { surfacesFromDocument, surfacesFromSites, type InventorySurface } from './rules/inventory-surface.js';
import { durabilityGaps, type DurabilityGapRow } from './rules/durability-gap.js';
import { fingerprintMismatch, manifestDrift } from './rules/manifest-rules.js';
import type { Severity } from './rules/rule-catalog.js';

/** A deployment config given on the command line; it overrides the manifest's or inventory's. */
export interface DeploymentOverride {
  /** Replicas of the deployment. */
  readonly replicas?: number;
  /** Surface ids of restart-safe-local surfaces allowed with several replicas. */
  readonly allowLocalState?: readonly string[];
}

/** What to lint and against what. */
export interface LintOptions {
  /** The working directory; paths in options and diagnostics are relative to it. */
  readonly cwd: string;
  /** A tsconfig (default ./tsconfig.json). */
  readonly project?: string;
  /** Globs of source files instead of a tsconfig. */
  readonly globs?: readonly string[];
  /** An inventory file (YAML or JSON) instead of source code. */
  readonly inventory?: string;
  /** The checked-in manifest (default: stateproof.manifest.json beside the tsconfig, when it exists). */
  readonly manifest?: string;
  /** A git ref or a file to check breaking changes against. */
  readonly base?: string;
  /** Which changes against `base` count as breaking (default `data`). */
  readonly level?: BreakingLevel;
  /** Overrides the deployment config of the manifest or inventory. */
  readonly deployment?: DeploymentOverride;
  /** Lowest severity that fails the run (exit 1); default error. */
  readonly failOn?: Exclude<Severity, 'note'>;
  /** The command that regenerates the manifest, for fixes (default `stateproof manifest --write`). */
  readonly fixCommand?: string;
  /** What probing the inventory's backend URLs found (`lint --probe`): fills in `current` where it names only a backend. */
  readonly probed?: ProbedBackends;
}

/** The outcome of a lint run. */
export interface LintResult {
  /** Sorted by file, line, column, rule. */
  readonly diagnostics: LintDiagnostic[];
  /** The inventory under lint, sorted by id. */
  readonly surfaces: SurfaceDefinitionDocument[];
  /** Its fingerprint; undefined when the input was unusable. */
  readonly fingerprint: string | undefined;
  /** The durability gaps of an inventory file: surfaces whose current class is weaker than the declared one. */
  readonly gaps: DurabilityGapRow[];
  /** Files read (source files, or 1 for an inventory). */
  readonly files: number;
  /** 0 clean, 1 violations, 2 unusable input. */
  readonly exitCode: 0 | 1 | 2;
}

function exitCodeOf(diagnostics: readonly LintDiagnostic[], failOn: Exclude<Severity, 'note'>): 0 | 1 | 2 {
  if (diagnostics.some(isInputProblem)) return 2;
  return diagnostics.some((d) => d.severity === 'error' || (failOn === 'warning' && d.severity === 'warning')) ? 1 : 0;
}

function mergeDeployment(
  given: DeploymentConfig | undefined,
  override: DeploymentOverride | undefined,
): DeploymentConfig | undefined {
  if (!override || (override.replicas === undefined && override.allowLocalState === undefined)) return given;
  const replicas = override.replicas ?? given?.replicas ?? 1;
  const allow = override.allowLocalState ?? given?.allowLocalState;
  return { replicas, ...(allow ? { allowLocalState: [...allow] } : {}) };
}

function finish(
  options: LintOptions,
  diagnostics: LintDiagnostic[],
  surfaces: SurfaceDefinitionDocument[],
  files: number,
  gaps: DurabilityGapRow[] = [],
): LintResult {
  const unusable = diagnostics.some(isInputProblem);
  return {
    diagnostics: sortDiagnostics(diagnostics),
    surfaces,
    gaps,
    fingerprint: unusable ? undefined : manifestFingerprint(surfaces),
    files,
    exitCode: exitCodeOf(diagnostics, options.failOn ?? 'error'),
  };
}

/** The rules that need no source code, on any inventory. */
function inventoryRules(
  head: InventorySurface[],
  deployment: DeploymentConfig | undefined,
  authority: AuthorityRuleOptions,
): LintDiagnostic[] {
  return [
    ...projectionWithoutSource(head),
    ...telemetryAsAuthority(head, authority),
    ...unboundedTelemetry(head),
    ...localStateMultiReplica(head, deployment),
  ];
}

function baseRules(
  options: LintOptions,
  headPath: string,
  head: InventorySurface[],
  what: 'manifest' | 'inventory',
): LintDiagnostic[] {
  if (options.base === undefined) return [];
  const base =
    what === 'manifest'
      ? readBase<ManifestDocument>(options.base, headPath, options.cwd, ManifestSchema, what)
      : readBase<InventoryDocument>(options.base, headPath, options.cwd, checkInventory, what);
  if (!base.document) return base.diagnostics;
  const surfaces =
    what === 'manifest'
      ? (base.document as ManifestDocument).surfaces
      : inventoryEntries(base.document as InventoryDocument).map((e) => e.entry);
  return breakingChanges(surfaces, head, {
    level: options.level ?? DEFAULT_BREAKING_LEVEL,
    baseLabel: base.label,
    removedAt: { file: displayPath(resolve(options.cwd, headPath), options.cwd) },
  });
}

/** Lints an inventory file (YAML or JSON): every rule that needs no source code. */
/**
 * The backend URLs (Postgres, Redis) an inventory's surfaces name in `current` without a class:
 * what `stateproof lint --probe` probes. Empty for an inventory that does not load (lint reports why).
 */
export function inventoryProbeTargets(options: { readonly cwd: string; readonly inventory: string }): string[] {
  const loaded = loadDocument<InventoryDocument>(options.inventory, options.cwd, checkInventory, 'inventory');
  if (!loaded.document) return [];
  const classField = loaded.document.inventoryVersion === 1 ? '/class' : '/durability';
  return probeableBackends(
    surfacesFromDocument(inventoryEntries(loaded.document), loaded.file, loaded.source, classField),
  );
}

/** Lints an inventory file: its rules, the durability gaps, its fingerprint and, with a base, breaking changes. */
export function lintInventory(options: LintOptions & { inventory: string }): LintResult {
  const loaded = loadDocument<InventoryDocument>(options.inventory, options.cwd, checkInventory, 'inventory');
  if (!loaded.document) return finish(options, loaded.diagnostics, [], 1);
  const inventory = loaded.document;
  const entries = inventoryEntries(inventory);
  const surfaces = entries.map((e) => e.entry);
  const classField = inventory.inventoryVersion === 1 ? '/class' : '/durability';
  const head = surfacesFromDocument(entries, loaded.file, loaded.source, classField);
  const deployment = mergeDeployment(inventory.deployment, options.deployment);
  const gaps = durabilityGaps(head, options.probed);
  const diagnostics = [
    ...duplicateEntryIds(head),
    ...inventoryRules(head, deployment, { kinds: true }),
    ...gaps.diagnostics,
    ...fingerprintMismatch(
      inventory.fingerprint,
      surfaces,
      { file: loaded.file, ...loaded.source?.positionOf('/fingerprint') },
      `Set fingerprint to the value \`stateproof fingerprint ${loaded.file}\` prints.`,
    ),
    ...baseRules(options, options.inventory, head, 'inventory'),
  ];
  const sorted = [...surfaces].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return finish(options, diagnostics, sorted, 1, gaps.gaps);
}

/** The checked-in manifest of a project, if there is one (or one was named). */
export function loadProjectManifest(
  options: { cwd: string; manifest?: string },
  root: string,
): {
  /** The manifest's path, whether it exists or not. */
  path: string;
  /** The manifest; undefined when there is none. */
  loaded: LoadedDocument<ManifestDocument> | undefined;
  /** Why it could not be used, when it could not. */
  diagnostics: LintDiagnostic[];
} {
  const path = options.manifest === undefined ? join(root, MANIFEST_FILE) : resolve(options.cwd, options.manifest);
  if (options.manifest === undefined && !existsSync(path)) return { path, loaded: undefined, diagnostics: [] };
  const loaded = loadDocument<ManifestDocument>(path, options.cwd, ManifestSchema, 'manifest');
  return { path, loaded, diagnostics: loaded.diagnostics };
}

/**
 * Lints a TypeScript project (or an inventory file when `inventory` is given): extraction and the
 * source rules, the manifest (drift, fingerprint), the inventory rules and, with a base, breaking
 * changes. Never throws on bad input: unusable input is a diagnostic and exit code 2.
 */
export function lint(options: LintOptions): LintResult {
  if (options.inventory !== undefined) return lintInventory({ ...options, inventory: options.inventory });
  const extracted = extractProject({
    cwd: options.cwd,
    ...(options.project === undefined ? {} : { project: options.project }),
    ...(options.globs === undefined ? {} : { globs: options.globs }),
  });
  const diagnostics = [...extracted.diagnostics];
  if (diagnostics.some((d) => d.rule === 'project-error')) return finish(options, diagnostics, [], extracted.files);
  const head = surfacesFromSites(extracted.sites);
  const fix = options.fixCommand ?? 'stateproof manifest --write';
  const manifest = loadProjectManifest(options, extracted.root);
  diagnostics.push(...manifest.diagnostics);
  const doc = manifest.loaded?.document;
  if (manifest.loaded && doc) {
    const file = manifest.loaded.file;
    const inManifest = surfacesFromDocument(doc.surfaces, file, manifest.loaded.source);
    const mismatch = fingerprintMismatch(
      doc.fingerprint,
      doc.surfaces,
      { file, ...manifest.loaded.source?.positionOf('/fingerprint') },
      fix,
    );
    const expected = manifestText(
      manifestDocument(extracted.surfaces, {
        ...(doc.app === undefined ? {} : { app: doc.app }),
        ...(doc.deployment === undefined ? {} : { deployment: doc.deployment }),
      }),
    );
    const drift = manifestDrift({
      manifest: inManifest,
      head,
      actualText: manifest.loaded.text,
      expectedText: expected,
      manifestFile: file,
      fix,
    });
    // A wrong fingerprint alone also changes the text; the mismatch already says so.
    diagnostics.push(...mismatch, ...drift.filter((d) => mismatch.length === 0 || d.severity === 'error'));
  }
  const deployment = mergeDeployment(doc?.deployment, options.deployment);
  // A telemetry claim or queue in code is invalid-definition already, at its call.
  diagnostics.push(...inventoryRules(head, deployment, { kinds: false }));
  diagnostics.push(...baseRules(options, manifest.path, head, 'manifest'));
  return finish(options, diagnostics, extracted.surfaces, extracted.files);
}
