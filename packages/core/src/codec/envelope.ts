import type { SurfaceKind } from '@stateproof/spec';

/** Identifier of the codec that wrote a value. */
export const CODEC_ID = 'json-v1';

/**
 * The envelope persisted with every value: who wrote it under which contract. It is checked before
 * the value is decoded; `deployment` and `fingerprint` are checked only for deployment-scoped surfaces
 * (app-scoped values are meant to outlive a deployment).
 */
export interface Envelope {
  /** The codec that wrote the value ({@link CODEC_ID}). */
  readonly codec: string;
  /** The kind of the surface. */
  readonly kind: SurfaceKind;
  /** The surface id. */
  readonly surface: string;
  /** The application that wrote it. */
  readonly app: string;
  /** The deployment that wrote it. */
  readonly deployment: string;
  /** The manifest fingerprint of the writer. */
  readonly fingerprint: string;
  /** The surface's value contract version. */
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
