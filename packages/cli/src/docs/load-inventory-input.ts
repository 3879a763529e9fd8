import { redactUrl } from '@stateproof/core/adapter-kit';
import {
  checkInventory,
  inventoryEntries,
  type CurrentState,
  type InventoryDocument,
  type SurfaceDefinitionDocument,
} from '@stateproof/spec';
import {
  durabilityGaps,
  loadDocument,
  loadProjectManifest,
  surfacesFromDocument,
  type LintDiagnostic,
} from '@stateproof/lint';
import type { InventoryGap } from '@stateproof/docs';

/** What an inventory page is made of, read from an inventory file or a manifest. */
export interface InventoryInput {
  readonly title: string;
  /** The file as the page names it. */
  readonly from: string;
  readonly surfaces: readonly SurfaceDefinitionDocument[];
  readonly current: Readonly<Record<string, CurrentState>>;
  readonly gaps: readonly InventoryGap[];
}

/**
 * Reads an inventory (YAML or JSON, version 1 or 2) with what each surface runs on today and its
 * durability gaps, as `stateproof lint --inventory` finds them; or a manifest (surfaces only: a
 * manifest says nothing of what runs today). Backend URLs are shown without their password.
 */
export function loadInventoryInput(
  source: { readonly inventory: string } | { readonly manifest: string },
  cwd: string,
): { input?: InventoryInput; problems: LintDiagnostic[] } {
  if ('manifest' in source) {
    const { loaded, diagnostics } = loadProjectManifest({ cwd, manifest: source.manifest }, cwd);
    const doc = loaded?.document;
    if (!loaded || !doc) return { problems: diagnostics };
    return {
      input: { title: doc.app ?? loaded.file, from: loaded.file, surfaces: doc.surfaces, current: {}, gaps: [] },
      problems: diagnostics,
    };
  }
  const loaded = loadDocument<InventoryDocument>(source.inventory, cwd, checkInventory, 'inventory');
  const doc = loaded.document;
  if (!doc) return { problems: loaded.diagnostics };
  const entries = inventoryEntries(doc);
  const current: Record<string, CurrentState> = {};
  for (const e of entries) if (e.current !== undefined) current[e.entry.id] = safeCurrent(e.current);
  const classField = doc.inventoryVersion === 1 ? '/class' : '/durability';
  const { gaps } = durabilityGaps(surfacesFromDocument(entries, loaded.file, loaded.source, classField));
  return {
    input: {
      title: doc.app ?? loaded.file,
      from: loaded.file,
      surfaces: entries.map((e) => e.entry),
      current,
      gaps: gaps.map((g) => ({
        surfaceId: g.surfaceId,
        declared: g.declared,
        current: g.current,
        ...(g.backend === undefined ? {} : { backend: safeBackend(g.backend) }),
        lost: g.lost,
      })),
    },
    problems: loaded.diagnostics,
  };
}

function safeCurrent(current: CurrentState): CurrentState {
  return current.backend === undefined ? current : { ...current, backend: safeBackend(current.backend) };
}

/** A backend URL (scheme://…) without its password; a name such as `memory` as it is. */
function safeBackend(backend: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(backend) ? redactUrl(backend) : backend;
}
