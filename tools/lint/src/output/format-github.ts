import type { LintResult } from '../lint.js';

// Workflow commands escape %, CR and LF in the message, and also : and , in properties.
const escapeData = (s: string) => s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
const escapeProperty = (s: string) => escapeData(s).replaceAll(':', '%3A').replaceAll(',', '%2C');

const COMMAND = { error: 'error', warning: 'warning', note: 'notice' } as const;

/** `--format github`: one GitHub Actions workflow command per diagnostic, so findings annotate the pull request. */
export function formatGithub(result: LintResult): string {
  return result.diagnostics
    .map((d) => {
      const props: string[] = [];
      if (d.file !== undefined) props.push(`file=${escapeProperty(d.file)}`);
      if (d.line !== undefined) props.push(`line=${d.line}`);
      if (d.endLine !== undefined) props.push(`endLine=${d.endLine}`);
      if (d.column !== undefined) props.push(`col=${d.column}`);
      if (d.endColumn !== undefined) props.push(`endColumn=${d.endColumn}`);
      props.push(`title=${escapeProperty(`stateproof ${d.rule}`)}`);
      const message = d.fix ? `${d.message}\nfix: ${d.fix}` : d.message;
      return `::${COMMAND[d.severity]} ${props.join(',')}::${escapeData(message)}\n`;
    })
    .join('');
}
