import { SPEC_VERSION, type CertificateDocument, type SurfaceKind } from '@stateproof/spec';
import { systemClock } from '@stateproof/core';
import type { ConformanceTarget } from '../environment/conformance-target.js';
import { createTargetAdapter } from '../suite/target-error.js';
import { CONFORMANCE_VERSION } from '../suite/tool-version.js';
import type { CrashReport } from './run-crash.js';

/** The requirement ids a kind's crash check decides ("survives what the class promises"). */
export const CRASH_REQUIREMENTS: Readonly<Partial<Record<SurfaceKind, readonly string[]>>> = {
  record: ['REC-032'],
  log: ['LOG-030', 'LOG-015'],
  claim: ['CLM-019'],
  queue: ['QUE-036'],
  dataspace: ['DSP-024'],
};

/**
 * Adds a crash run to a certificate: its scenarios replace those of the same name, the requirements
 * each kind's check decides record the scenario (and fail with its first violation), and the
 * verdicts are recomputed. Without `base`, a certificate holding just the crash results is made.
 */
export async function certificateWithCrash(
  report: CrashReport,
  target: ConformanceTarget,
  base?: CertificateDocument,
): Promise<CertificateDocument> {
  const cert = base ? structuredClone(base) : await emptyCertificate(report, target);
  const names = new Set(report.results.map((r) => r.scenario));
  cert.crash = [...cert.crash.filter((c) => !names.has(c.scenario)), ...report.results];
  for (const result of report.results) {
    for (const kind of result.kinds) {
      for (const id of CRASH_REQUIREMENTS[kind] ?? []) {
        const label = `crash:${result.scenario} [${report.cls}]`;
        let req = cert.requirements.find((r) => r.id === id);
        if (!req) {
          req = { id, kind, status: 'skip', properties: [], durationMs: 0 };
          cert.requirements.push(req);
        }
        req.properties = [...req.properties.filter((p) => p !== label), label];
        req.durationMs += result.durationMs;
        if (result.status === 'fail') {
          req.status = 'fail';
          req.reason = `${label}: ${result.violations[0] ?? 'failed'}`;
        } else if (req.status === 'skip') {
          req.status = 'pass';
          delete req.reason;
        }
      }
      const cls = cert.classes.find((c) => c.kind === kind && c.class === report.cls);
      if (cls && result.status === 'fail') cls.verdict = 'fail';
      else if (!cls)
        cert.classes.push({ class: report.cls, kind, verdict: result.status === 'fail' ? 'fail' : 'pass' });
    }
  }
  cert.verdict =
    cert.requirements.some((r) => r.status === 'fail') ||
    cert.crash.some((c) => c.status === 'fail') ||
    cert.concurrency.some((c) => c.status === 'fail')
      ? 'fail'
      : 'pass';
  return cert;
}

async function emptyCertificate(report: CrashReport, target: ConformanceTarget): Promise<CertificateDocument> {
  const adapter = await createTargetAdapter(target, { namespace: `sp-crash-probe-${report.seed}`, clock: systemClock });
  try {
    const probe = await adapter.probe();
    const now = new Date().toISOString();
    const kinds = [...new Set(report.results.flatMap((r) => r.kinds))];
    return {
      certificateVersion: 1,
      specVersion: SPEC_VERSION,
      tool: { name: '@stateproof/conformance', version: CONFORMANCE_VERSION },
      adapter: { name: target.name, version: target.version ?? adapter.version },
      backend: (await target.describeBackend?.()) ?? {
        name: probe.backend.name,
        ...(probe.backend.version ? { version: probe.backend.version } : {}),
        settings: probe.settings,
      },
      capabilities: adapter.capabilities,
      probe,
      run: {
        seed: report.seed,
        runs: 1,
        kinds,
        classes: [report.cls],
        startedAt: now,
        finishedAt: now,
        durationMs: report.results.reduce((s, r) => s + r.durationMs, 0),
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
      },
      verdict: 'pass',
      classes: [],
      requirements: [],
      concurrency: [],
      crash: [],
    };
  } finally {
    await adapter.close();
    await target.dispose?.(`sp-crash-probe-${report.seed}`);
  }
}
