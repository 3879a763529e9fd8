import type { ConformanceReport } from '@stateproof/conformance';
import type { CertificateDocument } from '@stateproof/spec';

/** The headline word of a certificate verdict: never an unqualified pass while a class owes a check. */
export function verdictWord(verdict: CertificateDocument['verdict']): string {
  return verdict === 'certified' ? 'CERTIFIED' : verdict === 'partial' ? 'PARTIAL' : 'FAIL';
}

/**
 * One line per class: its verdict, and per kind what is missing or failed (kinds that say the same
 * are grouped), so that a partial run says what ran and what is owed.
 */
export function classLines(classes: CertificateDocument['classes']): string[] {
  const lines: string[] = [];
  for (const cls of [...new Set(classes.map((c) => c.class))]) {
    const of = classes.filter((c) => c.class === cls);
    const verdict = of.some((c) => c.verdict === 'fail')
      ? 'fail'
      : of.every((c) => c.verdict === 'certified')
        ? 'certified'
        : 'partial';
    const groups = new Map<string, string[]>();
    for (const c of of) {
      const open = c.checks.filter((k) => k.status !== 'pass');
      const what =
        open.length === 0
          ? c.verdict === 'fail'
            ? 'fail (a property outside the required checks failed)'
            : c.verdict
          : `${c.verdict}: ${open.map((k) => `${k.check} ${k.status === 'fail' ? 'failed' : 'missing'} (${k.detail})`).join('; ')}`;
      groups.set(what, [...(groups.get(what) ?? []), c.kind]);
    }
    if (groups.size === 1 && verdict === 'certified')
      lines.push(`class ${cls}: certified (${of.map((c) => c.kind).join(', ')})`);
    else {
      lines.push(`class ${cls}: ${verdict}`);
      for (const [what, kinds] of groups) lines.push(`  ${kinds.join(', ')}: ${what}`);
    }
  }
  return lines;
}

/** The human summary of a conformance run: verdict, classes, failures with their replay, skips grouped by reason. */
export function reportSummary(
  report: ConformanceReport,
  extra: { certificatePath?: string; partialHint?: string } = {},
): string {
  const c = report.certificate;
  const reqs = report.requirements;
  const count = (s: string) => reqs.filter((r) => r.status === s).length;
  const lines = [
    `${verdictWord(c.verdict)}: ${c.adapter.name} ${c.adapter.version} on ${c.backend.name}${c.backend.version ? ` ${c.backend.version}` : ''} (spec ${c.specVersion})`,
    `requirements: ${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped`,
  ];
  lines.push(...classLines(c.classes));
  if (c.concurrency.length > 0) {
    lines.push('concurrency:');
    for (const k of c.concurrency)
      lines.push(
        `  ${k.status.padEnd(4)} ${k.name}: ${k.clients} clients, ${k.operations} operations, linearizable ${k.linearizable === null ? 'unknown (checker timed out)' : k.linearizable}`,
      );
  }
  const failed = reqs.filter((r) => r.status === 'fail');
  if (failed.length > 0) {
    lines.push('', 'failed:');
    for (const r of failed) {
      lines.push(`  ${r.id}  ${r.reason ?? ''}`);
      if (r.counterexample)
        lines.push(
          `         counterexample: ${r.counterexample.length > 600 ? `${r.counterexample.slice(0, 600)}…` : r.counterexample}`,
        );
      if (r.replay?.command) lines.push(`         replay: ${r.replay.command}`);
    }
  }
  const skipped = reqs.filter((r) => r.status === 'skip');
  if (skipped.length > 0) {
    const byReason = new Map<string, string[]>();
    for (const r of skipped)
      byReason.set(r.reason ?? 'skipped', [...(byReason.get(r.reason ?? 'skipped') ?? []), r.id]);
    lines.push('', 'skipped:');
    for (const [reason, ids] of byReason)
      lines.push(
        `  ${ids.length > 6 ? `${ids.length} requirements (${ids[0]} … ${ids.at(-1)})` : ids.join(', ')}: ${reason}`,
      );
  }
  lines.push(
    '',
    `seed ${c.run.seed}, runs ${c.run.runs}, ${(c.run.durationMs / 1000).toFixed(1)} s${extra.certificatePath ? `; certificate written to ${extra.certificatePath}` : ''}`,
  );
  const refused = (c.probe?.classes ?? []).filter((p) => !p.certified && c.classes.some((v) => v.class === p.class));
  if (refused.length > 0)
    lines.push(
      `The backend cannot hold ${refused.map((p) => p.class).join(', ')}, which the adapter claims: its probe says why and what to change (above). Run against a backend configured for it, or pass --own-server to a server adapter.`,
    );
  if (report.verdict === 'fail' && report.requirements.some((r) => r.status === 'fail'))
    lines.push(
      'Fix the adapter and run the replay command of each failure; each replays its minimal counterexample exactly.',
    );
  else if (c.verdict === 'partial')
    lines.push(
      extra.partialHint ??
        'Nothing failed, but not every check the claimed classes need ran: run `stateproof certify` for a certificate that certifies them.',
    );
  return lines.join('\n') + '\n';
}
