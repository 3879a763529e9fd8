import type { CertificateDocument, SurfaceKind } from '@stateproof/spec';

/** One requirement verdict of a certificate. */
type RequirementEntry = CertificateDocument['requirements'][number];

/**
 * Records a run outside the properties (a crash scenario, a telemetry outage) as evidence on
 * requirement `id` of `cert`: the requirement is added (skipped) when the certificate lacks it, the
 * run's `label` replaces an earlier one of the same name, its time adds up, and a failure (its first
 * violation) fails it. Whether a passing run makes it pass is the caller's rule.
 */
export function addRunEvidence(
  cert: CertificateDocument,
  id: string,
  kind: SurfaceKind,
  run: { readonly label: string; readonly durationMs: number; readonly failure?: string },
): RequirementEntry {
  let req = cert.requirements.find((r) => r.id === id);
  if (!req) {
    req = { id, kind, status: 'skip', properties: [], durationMs: 0 };
    cert.requirements.push(req);
  }
  req.properties = [...req.properties.filter((p) => p !== run.label), run.label];
  req.durationMs += run.durationMs;
  if (run.failure !== undefined) {
    req.status = 'fail';
    req.reason = `${run.label}: ${run.failure}`;
  }
  return req;
}
