import { SPEC_VERSION, type CertificateDocument, type ConformanceCheck } from '@stateproof/spec';
import { systemClock } from '@stateproof/core';
import type { ConformanceTarget } from '../environment/conformance-target.js';
import { createTargetAdapter } from '../suite/target-error.js';
import { CONFORMANCE_VERSION } from '../suite/tool-version.js';
import { certificateVerdict, settleClassVerdict, type ClassCheck } from '../suite/class-verdicts.js';
import { crashRequirementsOf, settleCrashRequirements } from '../suite/crash-requirements.js';
import { addRunEvidence } from '../suite/run-evidence.js';
import type { CrashReport } from './run-crash.js';

/** The checks a crash scenario decides: a process kill always, a backend kill when the scenario killed the backend. */
function checksOf(scenario: string): ConformanceCheck[] {
  return scenario.startsWith('process-and-backend-kill/') ? ['process-crash', 'backend-crash'] : ['process-crash'];
}

/**
 * Adds a crash run to a certificate: its scenarios (tagged with the class) replace those of the
 * same name and class; each kind's class verdict gets its process-crash (and, after a backend kill,
 * backend-crash) check from the scenario; the requirements each kind's check decides record the
 * scenario (and fail with its first violation), and pass once no class of the run owes a crash; the
 * verdicts are settled again. Without `base`, a certificate holding just the crash results is made
 * (its classes then owe the conform checks).
 */
export async function certificateWithCrash(
  report: CrashReport,
  target: ConformanceTarget,
  base?: CertificateDocument,
): Promise<CertificateDocument> {
  const cert = base ? structuredClone(base) : await emptyCertificate(report, target);
  const results = report.results.map((r) => ({ ...r, class: report.cls }));
  const replaced = (c: CertificateDocument['crash'][number]) =>
    results.some((r) => r.scenario === c.scenario && r.class === (c.class ?? report.cls));
  cert.crash = [...cert.crash.filter((c) => !replaced(c)), ...results];
  if (!cert.run.classes.includes(report.cls)) cert.run.classes.push(report.cls);
  for (const result of results) {
    for (const kind of result.kinds) {
      for (const id of crashRequirementsOf(report.cls, kind)) {
        addRunEvidence(cert, id, kind, {
          label: `crash:${result.scenario} [${report.cls}]`,
          durationMs: result.durationMs,
          ...(result.status === 'fail' ? { failure: result.violations[0] ?? 'failed' } : {}),
        });
      }
      const index = cert.classes.findIndex((c) => c.kind === kind && c.class === report.cls);
      const old = index < 0 ? undefined : cert.classes[index];
      const decided = new Map(
        checksOf(result.scenario).map((check): [ConformanceCheck, ClassCheck] => [
          check,
          {
            check,
            status:
              result.status === 'fail'
                ? 'fail'
                : result.kills > 0 && (check !== 'backend-crash' || (result.backendKills ?? 1) > 0)
                  ? 'pass'
                  : 'missing',
            detail:
              result.status === 'fail'
                ? `${result.scenario}: ${result.violations.length} violations: ${result.violations[0]?.split('\n')[0] ?? 'failed'}`
                : `${result.scenario}: ${result.kills} kills${result.backendKills ? `, ${result.backendKills} backend kills` : ''}, ${result.acknowledged} acknowledged operations, nothing lost (seed ${report.seed})`,
          },
        ]),
      );
      const checks = (old?.checks ?? []).map((c) => decided.get(c.check) ?? c);
      for (const [check, c] of decided) if (!checks.some((k) => k.check === check)) checks.push(c);
      const settled = settleClassVerdict(report.cls, kind, checks, old?.verdict === 'fail');
      if (index < 0) cert.classes.push(settled);
      else cert.classes[index] = settled;
    }
  }
  cert.requirements = settleCrashRequirements(cert.requirements, cert.classes);
  cert.verdict = certificateVerdict(
    cert.classes,
    cert.requirements.some((r) => r.status === 'fail') ||
      cert.crash.some((c) => c.status === 'fail') ||
      cert.concurrency.some((c) => c.status === 'fail'),
  );
  return cert;
}

async function emptyCertificate(report: CrashReport, target: ConformanceTarget): Promise<CertificateDocument> {
  const adapter = await createTargetAdapter(target, { namespace: `sp-crash-probe-${report.seed}`, clock: systemClock });
  try {
    const probe = await adapter.probe();
    const now = new Date().toISOString();
    const kinds = [...new Set(report.results.flatMap((r) => r.kinds))];
    return {
      certificateVersion: 2,
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
      verdict: 'partial',
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
