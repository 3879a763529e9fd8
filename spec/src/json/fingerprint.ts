import { createHash } from 'node:crypto';
import { canonicalize } from './canonical-json.js';

/** A fingerprint string: `sha256:` followed by 64 lowercase hex digits. */
export type Fingerprint = `sha256:${string}`;

/** Pattern every fingerprint matches. */
export const FINGERPRINT_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** SHA-256 over the UTF-8 bytes of the RFC 8785 form of `value`, written as `sha256:<hex>`. */
export function fingerprintOf(value: unknown): Fingerprint {
  return `sha256:${createHash('sha256').update(canonicalize(value), 'utf8').digest('hex')}`;
}
