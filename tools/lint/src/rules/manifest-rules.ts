import { diffSurfaces } from '@stateproof/core';
import { canonicalize, manifestFingerprint, semanticSurface, type SurfaceDefinitionDocument } from '@stateproof/spec';
import { diagnostic, type DiagnosticPosition, type LintDiagnostic } from '../diagnostics/lint-diagnostic.js';
import type { InventorySurface } from './inventory-surface.js';

/** fingerprint-mismatch: the recorded fingerprint of a manifest or inventory is not the hash of its surfaces. */
export function fingerprintMismatch(
  recorded: string | undefined,
  surfaces: readonly SurfaceDefinitionDocument[],
  at: DiagnosticPosition,
  fix: string,
): LintDiagnostic[] {
  if (recorded === undefined) return [];
  const computed = manifestFingerprint(surfaces);
  if (computed === recorded) return [];
  return [
    diagnostic(
      'fingerprint-mismatch',
      `${at.file ?? 'the file'} records fingerprint ${recorded}, but its surfaces hash to ${computed}`,
      at,
      { fix },
    ),
  ];
}

/** Semantic fields of two entries that differ, for drift messages. */
function changedFields(a: SurfaceDefinitionDocument, b: SurfaceDefinitionDocument): string[] {
  const x = semanticSurface(a);
  const y = semanticSurface(b);
  return [...new Set([...Object.keys(x), ...Object.keys(y)])]
    .filter((k) => canonicalize(x[k] ?? null) !== canonicalize(y[k] ?? null))
    .sort();
}

/** Inputs of {@link manifestDrift}. */
export interface DriftInput {
  /** The surfaces of the checked-in manifest, and where each is written. */
  readonly manifest: readonly InventorySurface[];
  /** The surfaces the code defines. */
  readonly head: readonly InventorySurface[];
  /** The manifest file's text, and the text `stateproof manifest --write` would write. */
  readonly actualText: string;
  /** The text `stateproof manifest --write` would write. */
  readonly expectedText: string;
  /** The manifest file, as diagnostics show it. */
  readonly manifestFile: string;
  /** The command that regenerates the manifest. */
  readonly fix: string;
}

/**
 * manifest-drift: surfaces added to the code, removed from it, or changed (semantically) since the
 * manifest was written, each at its definition (or at its manifest entry when removed). When only
 * prose, owners or locations differ, one warning says the manifest is out of date.
 */
export function manifestDrift(input: DriftInput): LintDiagnostic[] {
  const out: LintDiagnostic[] = [];
  const manifestEntries = input.manifest.map((s) => s.entry);
  const diff = diffSurfaces(
    manifestEntries,
    input.head.map((s) => s.entry),
  );
  const headById = new Map(input.head.map((s) => [s.entry.id, s]));
  const manifestById = new Map(input.manifest.map((s) => [s.entry.id, s]));
  const extra = { fix: input.fix };
  for (const id of diff.added) {
    out.push(
      diagnostic(
        'manifest-drift',
        `surface "${id}" is defined but not in ${input.manifestFile}`,
        headById.get(id)?.at() ?? { file: input.manifestFile },
        { ...extra, surfaceId: id },
      ),
    );
  }
  for (const id of diff.removed) {
    out.push(
      diagnostic(
        'manifest-drift',
        `surface "${id}" is in ${input.manifestFile} but no longer defined`,
        manifestById.get(id)?.at() ?? { file: input.manifestFile },
        { ...extra, surfaceId: id },
      ),
    );
  }
  for (const id of diff.changed) {
    const fields = changedFields(manifestById.get(id)!.entry, headById.get(id)!.entry);
    out.push(
      diagnostic(
        'manifest-drift',
        `surface "${id}" differs from ${input.manifestFile} in ${fields.join(', ')}`,
        headById.get(id)!.at(),
        { ...extra, surfaceId: id },
      ),
    );
  }
  if (out.length === 0 && input.actualText !== input.expectedText) {
    out.push({
      ...diagnostic(
        'manifest-drift',
        `${input.manifestFile} is out of date: descriptions, owners, recovery notes, locations or formatting differ (the fingerprint does not)`,
        { file: input.manifestFile, line: 1 },
        extra,
      ),
      severity: 'warning',
    });
  }
  return out;
}
