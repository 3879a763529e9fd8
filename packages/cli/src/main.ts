import { TargetError } from '@stateproof/conformance';
import { isStateproofError, SPEC_VERSION } from '@stateproof/spec';
import { parseArgs } from './args/parse-args.js';
import { UsageError } from './args/usage-error.js';
import { commandHelp, type Command } from './commands/command.js';
import { certifyCommand } from './commands/certify-command.js';
import { checkHistoryCommand } from './commands/check-history-command.js';
import { conformCommand } from './commands/conform-command.js';
import { crashCommand } from './commands/crash-command.js';
import { docsCommand } from './commands/docs-command.js';
import { fingerprintCommand } from './commands/fingerprint-command.js';
import { lintCommand } from './commands/lint-command.js';
import { manifestCommand } from './commands/manifest-command.js';
import { mutantsCommand } from './commands/mutants-command.js';
import { probeCommand } from './commands/probe-command.js';
import type { CliIo } from './io/cli-io.js';
import { EXIT } from './io/exit-codes.js';
import { CLI_VERSION } from './version.js';

/** Every verb, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  conformCommand,
  certifyCommand,
  crashCommand,
  probeCommand,
  mutantsCommand,
  manifestCommand,
  lintCommand,
  fingerprintCommand,
  docsCommand,
  checkHistoryCommand,
];

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'stateproof — declare the durability contract of your state, and prove it.',
    '',
    'Usage: stateproof <verb> [options]',
    '',
    'Verbs:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  --help     Show help (also after a verb: stateproof <verb> --help).',
    '  --version  Print the versions of the CLI and of the spec.',
    '',
    'Exit status: 0 ok; 1 a check failed; 2 usage or input error; 3 internal error.',
    '',
  ].join('\n');
}

/** Runs the command line `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    const target = verb === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    io.stdout.write(target ? commandHelp(target) : topHelp());
    return verb === undefined ? EXIT.usage : EXIT.ok;
  }
  if (verb === '--version' || verb === '-v') {
    io.stdout.write(`stateproof ${CLI_VERSION} (spec ${SPEC_VERSION})\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === verb);
  if (!command) {
    io.stderr.write(`stateproof: unknown verb "${verb}".\nRun \`stateproof --help\` to list the verbs.\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(commandHelp(command));
    return EXIT.ok;
  }
  try {
    return await command.run(parseArgs(rest, command.options, command.name), io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`stateproof ${command.name}: ${error.message}\n${error.hint}\n`);
      return EXIT.usage;
    }
    if (error instanceof TargetError) {
      // The adapter under test broke, not stateproof: say so, with the adapter's own stack.
      const cause = error.cause as Error | undefined;
      io.stderr.write(
        `stateproof ${command.name}: the adapter failed: ${error.message}\n${cause?.stack ?? String(cause)}\n` +
          'This error was thrown by the adapter under test (its target module), before any check ran: fix the adapter or its settings and run again.\n',
      );
      return EXIT.failed;
    }
    if (isStateproofError(error)) {
      io.stderr.write(
        `stateproof ${command.name}: ${error.code}: ${error.message}\n${error.hint ? `${error.hint}\n` : ''}`,
      );
      return EXIT.usage;
    }
    io.stderr.write(
      `stateproof ${command.name}: internal error: ${(error as Error)?.stack ?? String(error)}\nPlease report this with the command you ran.\n`,
    );
    return EXIT.internal;
  }
}
