import type { LintResult } from '../lint.js';
import { summaryOf } from './lint-report.js';

/**
 * `--format text`: diagnostics grouped by file, one line each (`line:column  severity  message
 * rule`), the fix when there is one, and a summary line.
 */
export function formatText(result: LintResult): string {
  const lines: string[] = [];
  const groups = new Map<string, typeof result.diagnostics>();
  for (const d of result.diagnostics) {
    const key = d.file ?? '(project)';
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  for (const [file, list] of groups) {
    lines.push(file);
    for (const d of list) {
      const pos = d.line === undefined ? '-' : `${d.line}:${d.column ?? 1}`;
      lines.push(`  ${pos.padEnd(8)} ${d.severity.padEnd(7)} ${d.message}  ${d.rule}`);
      if (d.fix) lines.push(`  ${''.padEnd(8)} ${''.padEnd(7)} fix: ${d.fix}`);
    }
    lines.push('');
  }
  const s = summaryOf(result);
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const total = s.errors + s.warnings + s.notes;
  const tail = `${plural(s.surfaces, 'surface')} in ${plural(s.files, 'file')}${result.fingerprint ? `, fingerprint ${result.fingerprint}` : ''}`;
  lines.push(
    total === 0
      ? `No problems. ${tail}.`
      : `${plural(total, 'problem')} (${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.notes, 'note')}). ${tail}.`,
  );
  return `${lines.join('\n')}\n`;
}
