import type { ConformanceReport } from '@stateproof/conformance';

/** The human summary of a conformance run: verdict, classes, failures with their replay, skips grouped by reason. */
export function reportSummary(report: ConformanceReport, extra: { certificatePath?: string } = {}): string {
  const c = report.certificate;
  const reqs = report.requirements;
  const count = (s: string) => reqs.filter((r) => r.status === s).length;
  const lines = [
    `${report.verdict === 'pass' ? 'PASS' : 'FAIL'}: ${c.adapter.name} ${c.adapter.version} on ${c.backend.name}${c.backend.version ? ` ${c.backend.version}` : ''} (spec ${c.specVersion})`,
    `requirements: ${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped`,
  ];
  const byClass = new Map<string, string[]>();
  for (const v of c.classes) byClass.set(v.class, [...(byClass.get(v.class) ?? []), `${v.kind} ${v.verdict}`]);
  for (const [cls, kinds] of byClass) lines.push(`class ${cls}: ${kinds.join(', ')}`);
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
  if (report.verdict === 'fail')
    lines.push(
      'Fix the adapter and run the replay command of each failure; each replays its minimal counterexample exactly.',
    );
  return lines.join('\n') + '\n';
}
