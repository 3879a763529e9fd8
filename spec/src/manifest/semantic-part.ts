import { fingerprintOf, type Fingerprint } from '../json/fingerprint.js';
import type { SurfaceDefinitionDocument } from '../schemas/surface-definition.js';
import { stripAnnotations } from './strip-annotations.js';

/** Surface fields that are prose or provenance and never enter the fingerprint. */
export const NON_SEMANTIC_SURFACE_FIELDS = ['description', 'recovery', 'owner', 'location'] as const;

/** Version of the fingerprint scheme; part of the fingerprinted document so the scheme can evolve. */
export const FINGERPRINT_SCHEME_VERSION = 1;

/** The semantic part of one surface: everything that changes behaviour or stored data. */
export function semanticSurface(surface: SurfaceDefinitionDocument): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(surface)) {
    if ((NON_SEMANTIC_SURFACE_FIELDS as readonly string[]).includes(key) || value === undefined) continue;
    out[key] =
      key === 'schemas'
        ? Object.fromEntries(Object.entries(value as object).map(([role, s]) => [role, stripAnnotations(s)]))
        : value;
  }
  return out;
}

/**
 * The document a fingerprint is computed over: `{ fingerprintVersion, surfaces }` with surfaces
 * sorted by id (UTF-16 code units) and reduced to their semantic part.
 */
export function semanticDocument(surfaces: readonly SurfaceDefinitionDocument[]): {
  /** The fingerprint scheme version, so that a change of scheme changes every fingerprint. */
  fingerprintVersion: number;
  /** The semantic part of each surface, sorted by id. */
  surfaces: Record<string, unknown>[];
} {
  const sorted = [...surfaces].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { fingerprintVersion: FINGERPRINT_SCHEME_VERSION, surfaces: sorted.map(semanticSurface) };
}

/** The manifest fingerprint: SHA-256 of the RFC 8785 form of {@link semanticDocument}. */
export function manifestFingerprint(surfaces: readonly SurfaceDefinitionDocument[]): Fingerprint {
  return fingerprintOf(semanticDocument(surfaces));
}
