import type { LintResult } from '../lint.js';
import { formatGithub } from './format-github.js';
import { formatJson } from './lint-report.js';
import { formatSarif } from './format-sarif.js';
import { formatText } from './format-text.js';

/** The output formats of `stateproof lint`. */
export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;

/** An output format. */
export type Format = (typeof FORMATS)[number];

/** True when `value` names a format. */
export function isFormat(value: unknown): value is Format {
  return typeof value === 'string' && (FORMATS as readonly string[]).includes(value);
}

/** Renders a result in a format; `cwd` anchors SARIF's relative paths. */
export function formatResult(result: LintResult, format: Format, cwd: string): string {
  switch (format) {
    case 'text':
      return formatText(result);
    case 'json':
      return formatJson(result);
    case 'sarif':
      return formatSarif(result, cwd);
    case 'github':
      return formatGithub(result);
  }
}
