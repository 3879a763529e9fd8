import type { LintDiagnostic } from '../diagnostics/lint-diagnostic.js';

/** The comment that silences rules on the next line: `// stateproof-disable-next-line rule-a, rule-b` (no rule: all). */
export const DISABLE_NEXT_LINE = 'stateproof-disable-next-line';

const DIRECTIVE = /\/[/*]\s*stateproof-disable-next-line\b([^\n*]*)/;

/**
 * Drops the source diagnostics that a `stateproof-disable-next-line` comment on the line above
 * silences. Suppressions are deliberate and visible in review; input problems cannot be silenced.
 */
export function applySuppressions(diagnostics: readonly LintDiagnostic[], text: string): LintDiagnostic[] {
  if (!text.includes(DISABLE_NEXT_LINE)) return [...diagnostics];
  const lines = text.split('\n');
  return diagnostics.filter((d) => {
    if (d.line === undefined || d.line < 2 || d.rule === 'parse-error') return true;
    const m = DIRECTIVE.exec(lines[d.line - 2] ?? '');
    if (!m) return true;
    const rules = (m[1] ?? '').split(/[\s,]+/).filter((r) => r.length > 0 && r !== '--');
    const named = rules.slice(0, rules.includes('--') ? rules.indexOf('--') : undefined);
    return !(named.length === 0 || named.includes(d.rule));
  });
}
