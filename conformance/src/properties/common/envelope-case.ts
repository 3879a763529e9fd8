import fc from 'fast-check';
import type { RequirementId } from '../../requirements/requirement-ids.js';
import { expectModel } from '../../models/model-mismatch.js';
import { describeOutcome, type Outcome } from '../../models/outcome.js';

/** An envelope field a stored value may carry a foreign value in. */
export type EnvelopeField = 'app' | 'kind' | 'surface' | 'codec' | 'schemaVersion' | 'deployment' | 'fingerprint';

/** One envelope check: which field is foreign, on a surface of which scope. */
export interface EnvelopeCase {
  readonly field: EnvelopeField;
  readonly scope: 'app' | 'deployment';
}

/**
 * Every field on both scopes. A deployment-scoped value written under another deployment or manifest
 * fingerprint must be refused; an app-scoped one outlives a deployment, so the same value is read.
 * Half the cases are the deployment fields on a deployment-scoped surface: the case the app-scoped
 * checks never tried, so a few runs suffice to try it.
 */
export const envelopeCaseArb: fc.Arbitrary<EnvelopeCase> = fc.oneof(
  fc.record({
    field: fc.constantFrom<EnvelopeField>('deployment', 'fingerprint'),
    scope: fc.constant<'deployment'>('deployment'),
  }),
  fc.record({
    field: fc.constantFrom<EnvelopeField>(
      'app',
      'kind',
      'surface',
      'codec',
      'schemaVersion',
      'deployment',
      'fingerprint',
    ),
    scope: fc.constantFrom<'app' | 'deployment'>('app', 'deployment'),
  }),
);

/** The surface option of the case's scope, to spread into a surface definition. */
export function scopeOption(c: EnvelopeCase): { scope?: 'deployment' } {
  return c.scope === 'deployment' ? { scope: 'deployment' } : {};
}

/** Whether the contract refuses the case: every foreign field, but deployment and fingerprint only on deployment-scoped surfaces. */
export function envelopeRefused(c: EnvelopeCase): boolean {
  return c.scope === 'deployment' || (c.field !== 'deployment' && c.field !== 'fingerprint');
}

/** `stored` (a value as the adapter holds it: header line, newline, body) with the case's field foreign and `body`. */
export function foreignEncoded(stored: string, c: EnvelopeCase, body: string): string {
  const header = JSON.parse(stored.split('\n')[0] as string) as Record<string, unknown>;
  const foreign = { ...header, [c.field]: c.field === 'schemaVersion' ? 99 : `other-${c.field}` };
  return `${JSON.stringify(foreign)}\n${body}`;
}

/** Checks what reading the foreign value gave: STATEPROOF_ENVELOPE_MISMATCH when refused, else a success. */
export function expectEnvelopeVerdict(
  c: EnvelopeCase,
  got: Outcome<unknown>,
  requirements: readonly RequirementId[],
  what: string,
): void {
  const refused = envelopeRefused(c);
  expectModel(
    refused ? !got.ok && got.code === 'STATEPROOF_ENVELOPE_MISMATCH' : got.ok,
    requirements,
    () =>
      `${what} whose ${c.field} is foreign, on a ${c.scope}-scoped surface, gave ${describeOutcome(got)}; expected ${refused ? 'STATEPROOF_ENVELOPE_MISMATCH' : 'the value (an app-scoped value outlives a deployment)'}`,
  );
}
