import type { SurfaceKind } from '@stateproof/spec';

/** Identifier of the codec that wrote a value. */
export const CODEC_ID = 'json-v1';

/**
 * The envelope persisted with every value: who wrote it under which contract. It is checked before
 * the value is decoded; `deployment` and `fingerprint` are checked only for deployment-scoped surfaces
 * (app-scoped values are meant to outlive a deployment).
 */
export interface Envelope {
  readonly codec: string;
  readonly kind: SurfaceKind;
  readonly surface: string;
  readonly app: string;
  readonly deployment: string;
  readonly fingerprint: string;
  readonly schemaVersion: number;
}

/** The header line of an encoded value: the envelope as JSON, in a fixed field order. */
export function envelopeHeader(e: Envelope): string {
  return JSON.stringify({
    codec: e.codec,
    kind: e.kind,
    surface: e.surface,
    app: e.app,
    deployment: e.deployment,
    fingerprint: e.fingerprint,
    schemaVersion: e.schemaVersion,
  });
}
