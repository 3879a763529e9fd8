import { CLASSES, canonicalize, type DurabilityClass, type SurfaceDefinitionDocument } from '@stateproof/spec';
import { diagnostic, type DiagnosticPosition, type LintDiagnostic } from '../diagnostics/lint-diagnostic.js';
import type { InventorySurface } from '../rules/inventory-surface.js';
import { levelIncludes, type BreakingLevel } from './breaking-level.js';
import { schemaIncompatibilities } from './schema-compat.js';

// Strength of each class for "downgraded": authority across replicas > one node > rebuildable > best effort > none.
const CLASS_RANK: Record<DurabilityClass, number> = {
  'shared-durable': 4,
  'restart-safe-local': 3,
  'derived-projection': 2,
  telemetry: 1,
  ephemeral: 0,
};

function isDurable(entry: SurfaceDefinitionDocument): boolean {
  return CLASSES[entry.class].durable;
}

function sameData(a: SurfaceDefinitionDocument, b: SurfaceDefinitionDocument): boolean {
  return a.kind === b.kind && a.class === b.class && canonicalize(a.schemas) === canonicalize(b.schemas);
}

/** Options of {@link breakingChanges}. */
export interface BreakingOptions {
  /** Which changes count as breaking (`strict`, `data` or `identity`). */
  readonly level: BreakingLevel;
  /** What the base is, for messages (`main`, `base.json`). */
  readonly baseLabel: string;
  /** Where to point when a surface is gone from the head (the manifest or inventory file). */
  readonly removedAt: DiagnosticPosition;
}

/**
 * breaking-change: compares the head inventory with the base manifest. Removals and renames of
 * durable surfaces, kind changes and class downgrades break at every level; scope changes and
 * schemas that no longer accept stored values from `data` on; schemas older replicas cannot read
 * at `strict`.
 */
export function breakingChanges(
  base: readonly SurfaceDefinitionDocument[],
  head: readonly InventorySurface[],
  options: BreakingOptions,
): LintDiagnostic[] {
  const out: LintDiagnostic[] = [];
  const headById = new Map(head.map((s) => [s.entry.id, s]));
  const baseIds = new Set(base.map((s) => s.id));
  const added = head.filter((s) => !baseIds.has(s.entry.id));
  const against = ` (against ${options.baseLabel})`;
  const report = (at: DiagnosticPosition, id: string, message: string, fix: string) =>
    out.push(diagnostic('breaking-change', message + against, at, { surfaceId: id, fix }));

  for (const before of base) {
    const now = headById.get(before.id);
    if (!now) {
      if (!isDurable(before)) continue;
      const renamed = added.find((a) => sameData(a.entry, before));
      if (renamed) {
        report(
          renamed.at(),
          renamed.entry.id,
          `durable ${before.kind} "${before.id}" was renamed to "${renamed.entry.id}"; its stored data stays under the old id`,
          `Keep the id "${before.id}" (ids are the identity of stored state), or migrate the data first.`,
        );
      } else {
        report(
          options.removedAt,
          before.id,
          `durable ${before.kind} "${before.id}" (${before.class}) was removed; its stored data is orphaned`,
          'Restore the definition, or remove the data deliberately and say so in the review.',
        );
      }
      continue;
    }
    const after = now.entry;
    const at = now.at();
    if (after.kind !== before.kind) {
      report(
        at,
        after.id,
        `surface "${after.id}" changed kind from ${before.kind} to ${after.kind}`,
        'Define a new surface under a new id instead of changing the kind.',
      );
      continue;
    }
    if (CLASS_RANK[after.class] < CLASS_RANK[before.class]) {
      report(
        at,
        after.id,
        `surface "${after.id}" was downgraded from ${before.class} to ${after.class}`,
        'Keep the class, or define a new surface for the weaker guarantee.',
      );
    }
    if (!levelIncludes(options.level, 'data')) continue;
    if (after.scope !== before.scope) {
      report(
        at,
        after.id,
        `surface "${after.id}" changed scope from ${before.scope} to ${after.scope}; stored keys move and existing data becomes invisible`,
        'Keep the scope, or migrate the data.',
      );
    }
    if (after.schemaVersion < before.schemaVersion) {
      report(
        at,
        after.id,
        `surface "${after.id}" lowered schemaVersion from ${before.schemaVersion} to ${after.schemaVersion}; values written under ${before.schemaVersion} will be rejected`,
        'Never lower schemaVersion.',
      );
    }
    const bumped = after.schemaVersion > before.schemaVersion;
    const roles = new Set([...Object.keys(before.schemas), ...Object.keys(after.schemas)]) as Set<
      keyof SurfaceDefinitionDocument['schemas']
    >;
    for (const role of [...roles].sort()) {
      const oldSchema = before.schemas[role];
      const newSchema = after.schemas[role];
      if (oldSchema === undefined && newSchema === undefined) continue;
      const backward = schemaIncompatibilities(oldSchema, newSchema);
      if (backward.length > 0 && (!bumped || levelIncludes(options.level, 'strict'))) {
        const why = bumped
          ? ` (schemaVersion was raised to ${after.schemaVersion}, so stored values of version ${before.schemaVersion} will be rejected)`
          : '';
        report(
          at,
          after.id,
          `the ${role} schema of "${after.id}" no longer accepts stored values${why}: ${backward.join('; ')}`,
          `Make the change backward compatible (optional fields, wider types), or raise schemaVersion and migrate the data.`,
        );
      }
      if (!levelIncludes(options.level, 'strict')) continue;
      const forward = schemaIncompatibilities(newSchema, oldSchema);
      if (forward.length > 0) {
        report(
          at,
          after.id,
          `older replicas cannot read new ${role} values of "${after.id}": ${forward.join('; ')}`,
          'Roll out readers that accept the new values before writers that produce them.',
        );
      }
    }
  }
  return out;
}
