import type { CertificateDocument } from '@stateproof/spec';
import { certificateVerdict, settleClassVerdict } from '../suite/class-verdicts.js';
import { addRunEvidence } from '../suite/run-evidence.js';
import type { TelemetryOutageReport } from './run-telemetry-outage.js';

/** The scenario name of a telemetry outage in a certificate's crash list. */
export const OUTAGE_SCENARIO = 'backend-outage/log';

/** The telemetry requirements an outage run checks against a real server (spec/contract/classes.md). */
export const OUTAGE_REQUIREMENTS = ['TEL-002', 'TEL-003', 'TEL-004'] as const;

/**
 * Adds a telemetry outage run to a certificate: a crash entry of class telemetry (replacing an
 * earlier one), its label on the requirements it checks, and on a failure those requirements and
 * the telemetry class of logs fail (its drops-counted check), with the first violation as the reason.
 */
export function certificateWithOutage(report: TelemetryOutageReport, base: CertificateDocument): CertificateDocument {
  const cert = structuredClone(base);
  cert.crash = [
    ...cert.crash.filter((c) => !(c.scenario === OUTAGE_SCENARIO && c.class === 'telemetry')),
    {
      scenario: OUTAGE_SCENARIO,
      class: 'telemetry',
      kinds: ['log'],
      kills: 1,
      acknowledged: report.appended,
      status: report.status,
      violations: report.violations.slice(0, 50) as string[],
      durationMs: report.durationMs,
    },
  ];
  const label = `outage:${OUTAGE_SCENARIO} [telemetry]`;
  for (const id of OUTAGE_REQUIREMENTS) {
    const req = addRunEvidence(cert, id, 'log', {
      label,
      durationMs: report.durationMs,
      ...(report.status === 'fail' ? { failure: report.violations[0] ?? 'failed' } : {}),
    });
    if (report.status !== 'fail' && req.status === 'skip' && !req.reason?.startsWith('the adapter does not')) {
      req.status = 'pass';
      delete req.reason;
    }
  }
  if (report.status === 'fail') {
    const index = cert.classes.findIndex((c) => c.class === 'telemetry' && c.kind === 'log');
    const old = cert.classes[index];
    if (old) {
      const detail = `${OUTAGE_SCENARIO}: ${report.violations.length} violations: ${report.violations[0] ?? 'failed'}`;
      const checks = old.checks.map((c) =>
        c.check === 'drops-counted' ? { ...c, status: 'fail' as const, detail } : c,
      );
      cert.classes[index] = settleClassVerdict('telemetry', 'log', checks, true);
    }
  }
  cert.verdict = certificateVerdict(
    cert.classes,
    cert.requirements.some((r) => r.status === 'fail') ||
      cert.crash.some((c) => c.status === 'fail') ||
      cert.concurrency.some((c) => c.status === 'fail'),
  );
  return cert;
}
