import type { LintResult } from '../lint.js';
import { summaryOf } from './lint-report.js';

/** The durability gaps as an aligned table: surface | declared | current | what is lost. */
export function gapTable(result: Pick<LintResult, 'gaps'>): string[] {
  const rows = [
    ['surface', 'declared', 'current', 'what is lost'],
    ...result.gaps.map((g) => [
      g.surfaceId,
      g.declared,
      g.backend === undefined ? g.current : `${g.current} (${g.backend})`,
      g.lost,
    ]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  const line = (r: string[]) =>
    `  ${r.map((c, i) => (i < 3 ? c.padEnd(widths[i] as number) : c)).join(' | ')}`.trimEnd();
  return [
    `Durability gaps (declared versus current): ${result.gaps.length}`,
    line(rows[0] as string[]),
    `  ${widths.map((w) => '-'.repeat(w)).join('-|-')}-|-${'-'.repeat(12)}`,
    ...rows.slice(1).map(line),
  ];
}

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
  if (result.gaps.length > 0) lines.push(...gapTable(result), '');
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
