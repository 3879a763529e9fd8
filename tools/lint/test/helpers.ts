import { resolve } from 'node:path';
import type { LintDiagnostic } from '../src/index.js';

/** The fixture directory `name`. */
export function fixture(name: string): string {
  return resolve(import.meta.dirname, 'fixtures', name);
}

/** A diagnostic as one comparable line: `file:line:column rule message`. */
export function line(d: LintDiagnostic): string {
  return `${d.file ?? '-'}:${d.line ?? '-'}:${d.column ?? '-'} ${d.rule} ${d.message}`;
}
