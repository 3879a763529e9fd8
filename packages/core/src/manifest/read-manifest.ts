import {
  ManifestSchema,
  assertDocument,
  manifestFingerprint,
  parseStrictJson,
  StateproofError,
  type ManifestDocument,
} from '@stateproof/spec';

/** The recorded fingerprint of a manifest does not match its content. */
export class ManifestFingerprintError extends StateproofError {
  /** `recorded` is the fingerprint the manifest states, `computed` the one of its surfaces. */
  constructor(recorded: string, computed: string) {
    super(
      'STATEPROOF_INVALID_DOCUMENT',
      `manifest records fingerprint ${recorded} but its surfaces hash to ${computed}`,
      {
        path: '/fingerprint',
        details: { recorded, computed },
        hint: 'The manifest was edited by hand or is stale; regenerate it with `stateproof manifest --write`.',
      },
    );
  }
}

/**
 * Parses a manifest from JSON text strictly (duplicate keys are errors), validates it against
 * spec/schema/manifest.schema.json, and checks that its recorded fingerprint matches its surfaces.
 */
export function readManifest(text: string, options: { verifyFingerprint?: boolean } = {}): ManifestDocument {
  const doc = parseStrictJson(text);
  assertDocument(ManifestSchema, doc, 'manifest');
  const manifest = doc as unknown as ManifestDocument;
  if (options.verifyFingerprint !== false) {
    const computed = manifestFingerprint(manifest.surfaces);
    if (computed !== manifest.fingerprint) throw new ManifestFingerprintError(manifest.fingerprint, computed);
  }
  return manifest;
}
