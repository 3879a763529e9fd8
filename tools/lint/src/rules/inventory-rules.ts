import { projectionSourceProblem } from '@stateproof/core';
import { CLASSES, classAllowsKind, currentDurability, type DeploymentConfig } from '@stateproof/spec';
import { diagnostic, type LintDiagnostic } from '../diagnostics/lint-diagnostic.js';
import type { InventorySurface } from './inventory-surface.js';

/** duplicate-id in an inventory file: every entry whose id an earlier entry has. */
export function duplicateEntryIds(surfaces: readonly InventorySurface[]): LintDiagnostic[] {
  const first = new Map<string, InventorySurface>();
  const out: LintDiagnostic[] = [];
  for (const s of surfaces) {
    const prior = first.get(s.entry.id);
    if (!prior) {
      first.set(s.entry.id, s);
      continue;
    }
    const line = prior.at().line;
    out.push(
      diagnostic(
        'duplicate-id',
        `surface id "${s.entry.id}" is already declared${line === undefined ? '' : ` at line ${line}`}`,
        s.at('/id'),
        { surfaceId: s.entry.id, fix: 'Give each surface its own id.' },
      ),
    );
  }
  return out;
}

/** projection-without-source: a derived projection without a source, or whose source is not in the inventory. */
export function projectionWithoutSource(surfaces: readonly InventorySurface[]): LintDiagnostic[] {
  const ids = new Set(surfaces.map((s) => s.entry.id));
  const out: LintDiagnostic[] = [];
  for (const s of surfaces) {
    const { entry } = s;
    if (entry.class !== 'derived-projection') continue;
    if (entry.source === undefined) {
      out.push(
        diagnostic(
          'projection-without-source',
          `derived projection "${entry.id}" does not name its source surface`,
          s.at(),
          {
            surfaceId: entry.id,
            fix: "Add source: '<id of the surface it is derived from>' (or 'external:<name>').",
          },
        ),
      );
    } else if (!entry.source.startsWith('external:') && !ids.has(entry.source)) {
      out.push(
        diagnostic(
          'projection-without-source',
          `derived projection "${entry.id}" names source "${entry.source}", which is not in the inventory`,
          s.at('/source'),
          {
            surfaceId: entry.id,
            fix: `Define "${entry.source}", or write source: 'external:${entry.source}' for a source outside the inventory.`,
          },
        ),
      );
    }
  }
  return out;
}

/** Options of {@link telemetryAsAuthority}. */
export interface AuthorityRuleOptions {
  /**
   * Also report telemetry surfaces of a kind the class does not allow. Inventory files need it; in
   * source code `invalid-definition` reports such a definition already, at the call.
   */
  readonly kinds: boolean;
}

/**
 * telemetry-as-authority (spec/contract/classes.md, PRJ-001 and TEL-005): a derived projection
 * whose source, in the inventory, cannot be one, judged by the rule of @stateproof/core that the
 * definitions and openRuntime apply (projectionSourceProblem: telemetry, ephemeral, not a log);
 * with `kinds`, a telemetry surface that is not a log (a claim, queue, record…), judged as
 * defineSurface judges it (classAllowsKind). A source outside the inventory is
 * projection-without-source's business.
 */
export function telemetryAsAuthority(
  surfaces: readonly InventorySurface[],
  options: AuthorityRuleOptions,
): LintDiagnostic[] {
  const byId = new Map<string, InventorySurface>();
  for (const s of surfaces) if (!byId.has(s.entry.id)) byId.set(s.entry.id, s);
  const out: LintDiagnostic[] = [];
  for (const s of surfaces) {
    const { entry } = s;
    if (options.kinds && entry.class === 'telemetry' && !classAllowsKind(entry.class, entry.kind)) {
      out.push(
        diagnostic(
          'telemetry-as-authority',
          `telemetry ${entry.kind} "${entry.id}": a ${entry.kind} cannot be telemetry (that class allows ${CLASSES.telemetry.kinds.join(', ')}); telemetry drops entries and is never the authority a ${entry.kind} decides with`,
          s.at('/class'),
          { surfaceId: entry.id, fix: `Make "${entry.id}" shared-durable or restart-safe-local.` },
        ),
      );
    }
    if (entry.class !== 'derived-projection' || entry.source === undefined) continue;
    const source = byId.get(entry.source)?.entry;
    const problem = source && projectionSourceProblem(source);
    if (!problem) continue;
    out.push(
      diagnostic(
        'telemetry-as-authority',
        `derived projection "${entry.id}" cannot be defined: ${problem}`,
        s.at('/source'),
        {
          surfaceId: entry.id,
          fix: 'Project from an authoritative log (shared-durable or restart-safe-local); telemetry and ephemeral state are not.',
        },
      ),
    );
  }
  return out;
}

/** unbounded-telemetry: a telemetry surface with no retention bound. */
export function unboundedTelemetry(surfaces: readonly InventorySurface[]): LintDiagnostic[] {
  return surfaces
    .filter(
      (s) =>
        s.entry.class === 'telemetry' &&
        s.entry.bounds.maxEntries === undefined &&
        s.entry.bounds.maxAgeMs === undefined,
    )
    .map((s) =>
      diagnostic(
        'unbounded-telemetry',
        `telemetry ${s.entry.kind} "${s.entry.id}" has no bound; declare retention by count or age`,
        s.at('/bounds'),
        {
          surfaceId: s.entry.id,
          fix: 'Add retention: { maxEntries: N } or { maxAgeMs: N } (bounds.maxEntries / bounds.maxAgeMs in an inventory).',
        },
      ),
    );
}

/**
 * local-state-multi-replica: restart-safe-local surfaces in a deployment with more than one replica,
 * unless allowed. In an inventory file a surface that runs on restart-safe-local state today (its
 * `current` section: a SQLite file, or durability: restart-safe-local) is the same scale risk,
 * whatever class it declares.
 */
export function localStateMultiReplica(
  surfaces: readonly InventorySurface[],
  deployment: DeploymentConfig | undefined,
): LintDiagnostic[] {
  if (!deployment || deployment.replicas <= 1) return [];
  const allowed = new Set(deployment.allowLocalState ?? []);
  const out: LintDiagnostic[] = [];
  for (const s of surfaces) {
    if (allowed.has(s.entry.id)) continue;
    const fix = `Make it shared-durable, or allow it explicitly (deployment.allowLocalState or --allow-local ${s.entry.id}).`;
    if (s.entry.class === 'restart-safe-local') {
      out.push(
        diagnostic(
          'local-state-multi-replica',
          `restart-safe-local ${s.entry.kind} "${s.entry.id}" is used in a deployment of ${deployment.replicas} replicas; each replica would keep its own copy`,
          s.at('/class'),
          { surfaceId: s.entry.id, fix },
        ),
      );
    } else if (currentDurability(s.current) === 'restart-safe-local') {
      const backend = s.current?.backend;
      out.push(
        diagnostic(
          'local-state-multi-replica',
          `${s.entry.class} ${s.entry.kind} "${s.entry.id}" runs on restart-safe-local state today${backend === undefined ? '' : ` (backend ${backend})`} in a deployment of ${deployment.replicas} replicas; each replica keeps its own copy`,
          s.at('/current'),
          {
            surfaceId: s.entry.id,
            fix: `Move it to a shared backend, or allow it explicitly (deployment.allowLocalState or --allow-local ${s.entry.id}).`,
          },
        ),
      );
    }
  }
  return out;
}
