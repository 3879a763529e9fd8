import type { LintReportDocument } from '@stateproof/spec';
import type { LintResult } from '../lint.js';
import { LINT_VERSION, TOOL_NAME } from '../version.js';

/** Counts of a result's diagnostics by severity. */
export function summaryOf(result: LintResult): LintReportDocument['summary'] {
  const count = (s: string) => result.diagnostics.filter((d) => d.severity === s).length;
  return {
    errors: count('error'),
    warnings: count('warning'),
    notes: count('note'),
    files: result.files,
    surfaces: result.surfaces.length,
  };
}

/** The `--format json` document: valid against spec/schema/lint-report.schema.json. */
export function lintReport(result: LintResult): LintReportDocument {
  return {
    reportVersion: 1,
    tool: { name: TOOL_NAME, version: LINT_VERSION },
    ...(result.fingerprint === undefined ? {} : { fingerprint: result.fingerprint }),
    summary: summaryOf(result),
    diagnostics: result.diagnostics.map((d) => ({ ...d })),
    ...(result.gaps.length === 0
      ? {}
      : { gaps: result.gaps.map((g) => ({ ...g, losses: g.losses.map((l) => ({ ...l })) })) }),
  };
}

/** `--format json`: the report, two-space indented. */
export function formatJson(result: LintResult): string {
  return `${JSON.stringify(lintReport(result), null, 2)}\n`;
}
