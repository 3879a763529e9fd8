import type { DiagnosticDocument } from '@stateproof/spec';
import { RULES, type RuleName, type Severity } from '../rules/rule-catalog.js';

/** One finding: a diagnostic of the lint report schema whose rule is a known rule name. */
export interface LintDiagnostic extends DiagnosticDocument {
  readonly rule: RuleName;
  readonly severity: Severity;
}

/** Where a diagnostic points. Lines and columns are 1-based; file is relative to the working directory. */
export interface DiagnosticPosition {
  /** The file. */
  readonly file?: string;
  /** Start line. */
  readonly line?: number;
  /** Start column. */
  readonly column?: number;
  /** End line. */
  readonly endLine?: number;
  /** End column. */
  readonly endColumn?: number;
}

/** A diagnostic of `rule` at its default severity. */
export function diagnostic(
  rule: RuleName,
  message: string,
  at: DiagnosticPosition = {},
  extra: { surfaceId?: string; fix?: string } = {},
): LintDiagnostic {
  const d: { -readonly [K in keyof LintDiagnostic]: LintDiagnostic[K] } = {
    rule,
    severity: RULES[rule].severity,
    message,
  };
  if (at.file !== undefined) d.file = at.file;
  if (at.line !== undefined) d.line = at.line;
  if (at.column !== undefined) d.column = at.column;
  if (at.endLine !== undefined) d.endLine = at.endLine;
  if (at.endColumn !== undefined) d.endColumn = at.endColumn;
  if (extra.surfaceId !== undefined) d.surfaceId = extra.surfaceId;
  if (extra.fix !== undefined) d.fix = extra.fix;
  return d;
}

const cmp = (a: string | number | undefined, b: string | number | undefined): number => {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
};

/** Diagnostics in a stable order: by file, line, column, rule, message. */
export function sortDiagnostics(diagnostics: readonly LintDiagnostic[]): LintDiagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      cmp(a.file, b.file) ||
      cmp(a.line, b.line) ||
      cmp(a.column, b.column) ||
      cmp(a.rule, b.rule) ||
      cmp(a.message, b.message),
  );
}

/** True when a diagnostic's rule says the input is unusable (exit status 2). */
export function isInputProblem(d: LintDiagnostic): boolean {
  return RULES[d.rule].scope === 'input';
}
