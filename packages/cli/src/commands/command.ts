import type { OptionSpec, ParsedArgs } from '../args/parse-args.js';
import type { CliIo } from '../io/cli-io.js';

/** One verb of the `stateproof` command line. */
export interface Command {
  readonly name: string;
  /** One line for the verb list. */
  readonly summary: string;
  /** The synopsis, e.g. `stateproof fingerprint FILE [--raw] [--json]`. */
  readonly usage: string;
  /** Paragraphs after the synopsis in `--help`. */
  readonly details: string;
  readonly options: readonly OptionSpec[];
  /** Examples shown in `--help`. */
  readonly examples: readonly string[];
  /** Runs the verb; resolves to the exit code. */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/** The `--help` text of a verb. */
export function commandHelp(command: Command): string {
  const width = Math.max(...command.options.map((o) => optionLabel(o).length), 6);
  const lines = [
    `${command.summary}`,
    '',
    `Usage: ${command.usage}`,
    '',
    command.details,
    '',
    'Options:',
    ...command.options.map((o) => `  ${optionLabel(o).padEnd(width)}  ${o.description}`),
    `  ${'--help'.padEnd(width)}  Show this help.`,
  ];
  if (command.examples.length > 0) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  return lines.join('\n') + '\n';
}

function optionLabel(o: OptionSpec): string {
  return o.kind === 'flag' ? `--${o.name}` : `--${o.name} <${o.valueName ?? 'value'}>`;
}
