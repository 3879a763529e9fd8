/**
 * The `stateproof` command line, as a library: `main(argv, io)` runs it with any streams.
 * @packageDocumentation
 */
export { main, COMMANDS } from './main.js';
export { KITS } from './targets/kits.js';
export { suiteRequirementIndex } from './targets/suite-requirement-index.js';
export type { CliIo } from './io/cli-io.js';
export { processIo } from './io/cli-io.js';
export { EXIT } from './io/exit-codes.js';
export type { Command } from './commands/command.js';
export { commandHelp } from './commands/command.js';
export { CLI_VERSION } from './version.js';
