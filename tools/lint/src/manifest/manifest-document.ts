import { buildManifest } from '@stateproof/core';
import {
  ManifestSchema,
  type DeploymentConfig,
  type ManifestDocument,
  type SurfaceDefinitionDocument,
} from '@stateproof/spec';

/** The manifest's file name, beside the tsconfig, when none is given. */
export const MANIFEST_FILE = 'stateproof.manifest.json';

/** What a manifest carries besides its surfaces; kept from the existing manifest on --write. */
export interface ManifestSettings {
  /** The application name. */
  readonly app?: string;
  /** How the application is deployed. */
  readonly deployment?: DeploymentConfig;
}

/**
 * The manifest of extracted surfaces, built by @stateproof/core's buildManifest (sorted by id, with
 * the fingerprint of the semantic part) and pointing at its JSON Schema. No generator version is
 * recorded, so upgrading the linter alone does not make every manifest drift.
 */
export function manifestDocument(
  surfaces: readonly SurfaceDefinitionDocument[],
  settings: ManifestSettings = {},
): ManifestDocument {
  const built = buildManifest(surfaces, {
    ...(settings.app === undefined ? {} : { app: settings.app }),
    ...(settings.deployment === undefined ? {} : { deployment: settings.deployment }),
  });
  return { $schema: ManifestSchema.$id as string, ...built };
}

/** The text of a manifest file: two-space JSON and a final newline. */
export function manifestText(manifest: ManifestDocument): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
