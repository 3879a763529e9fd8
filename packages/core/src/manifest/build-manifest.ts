import {
  manifestFingerprint,
  type DeploymentConfig,
  type ManifestDocument,
  type SurfaceDefinitionDocument,
} from '@stateproof/spec';
import type { AnySurface } from '../surface/surface.js';

/** Options of {@link buildManifest}. */
export interface BuildManifestOptions {
  /** The application name to record. */
  readonly app?: string;
  /** How the application is deployed, to record (replicas, local state). */
  readonly deployment?: DeploymentConfig;
  /** The tool that writes the manifest. */
  readonly generator?: {
    /** Its name, e.g. an npm package name. */
    readonly name: string;
    /** Its version. */
    readonly version: string;
  };
  /** Leave source locations out (they vary between machines and are not part of the fingerprint). */
  readonly withoutLocations?: boolean;
}

/**
 * The manifest of a set of surfaces: sorted by id, each with its normalised definition, and the
 * fingerprint of their semantic part (descriptions, recovery notes, owners and locations excluded).
 */
export function buildManifest(
  surfaces: Iterable<AnySurface | SurfaceDefinitionDocument>,
  options: BuildManifestOptions = {},
): ManifestDocument {
  const definitions = [...surfaces]
    .map((s) => ('definition' in s ? s.definition : s))
    .map((d) => {
      if (!options.withoutLocations) return d;
      const { location: _location, ...rest } = d;
      return rest;
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    manifestVersion: 1,
    fingerprint: manifestFingerprint(definitions),
    ...(options.generator ? { generator: { ...options.generator } } : {}),
    ...(options.app === undefined ? {} : { app: options.app }),
    ...(options.deployment === undefined ? {} : { deployment: options.deployment }),
    surfaces: definitions,
  };
}
