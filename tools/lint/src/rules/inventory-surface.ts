import type { CurrentState, InventoryEntry, SurfaceDefinitionDocument } from '@stateproof/spec';
import type { DiagnosticPosition } from '../diagnostics/lint-diagnostic.js';
import type { CheckedSite } from '../extract/analyse-file.js';
import type { DocumentSource } from '../documents/document-source.js';

/** A surface of the inventory under lint, from source code or an inventory file, and where to point at it. */
export interface InventorySurface {
  /** The surface as a manifest entry. */
  readonly entry: SurfaceDefinitionDocument;
  /** What an inventory file says the surface runs on today (its `current` section). */
  readonly current?: CurrentState;
  /** Where the surface (or one of its fields, a JSON Pointer below the entry such as `/bounds`) is written. */
  at(field?: string): DiagnosticPosition;
}

/** The surfaces of extracted source code: positions are the definitions' calls. */
export function surfacesFromSites(sites: readonly CheckedSite[]): InventorySurface[] {
  const seen = new Set<string>();
  const out: InventorySurface[] = [];
  for (const s of sites) {
    if (!s.entry || seen.has(s.entry.id)) continue;
    seen.add(s.entry.id);
    out.push({ entry: s.entry, at: () => ({ file: s.file, line: s.line, column: s.column }) });
  }
  return out;
}

/**
 * The surfaces of a manifest or inventory file: positions are lines of the file. In a version 2
 * inventory the class is written `durability`: pass `classField: '/durability'` so that findings
 * about the class point at it.
 */
export function surfacesFromDocument(
  surfaces: readonly (SurfaceDefinitionDocument | InventoryEntry)[],
  file: string,
  source: DocumentSource | undefined,
  classField = '/class',
): InventorySurface[] {
  return surfaces.map((s, i) => {
    const { entry, current } = 'entry' in s ? s : { entry: s, current: undefined };
    return {
      entry,
      ...(current === undefined ? {} : { current }),
      at: (field = '') => ({
        file,
        ...source?.positionOf(`/surfaces/${i}${field === '/class' ? classField : field}`),
      }),
    };
  });
}
