import type { SurfaceDefinitionDocument } from '@stateproof/spec';
import type { DiagnosticPosition } from '../diagnostics/lint-diagnostic.js';
import type { CheckedSite } from '../extract/analyse-file.js';
import type { DocumentSource } from '../documents/document-source.js';

/** A surface of the inventory under lint, from source code or an inventory file, and where to point at it. */
export interface InventorySurface {
  readonly entry: SurfaceDefinitionDocument;
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

/** The surfaces of a manifest or inventory file: positions are lines of the file. */
export function surfacesFromDocument(
  surfaces: readonly SurfaceDefinitionDocument[],
  file: string,
  source: DocumentSource | undefined,
): InventorySurface[] {
  return surfaces.map((entry, i) => ({
    entry,
    at: (field = '') => ({ file, ...source?.positionOf(`/surfaces/${i}${field}`) }),
  }));
}
