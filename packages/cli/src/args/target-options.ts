import { KITS } from '../targets/kits.js';
import { stringOption } from './option-values.js';
import type { ParsedArgs } from './parse-args.js';
import { UsageError } from './usage-error.js';
import type { CliIo } from '../io/cli-io.js';

/** The verbs that run against an adapter (conform, crash, certify) take options only: a stray word is a usage error. */
export function refusePositionals(args: ParsedArgs, verb: string): void {
  if (args.positionals.length > 0)
    throw new UsageError(
      `unexpected argument "${args.positionals[0]}"`,
      `${verb} takes options only; see \`stateproof ${verb} --help\`.`,
    );
}

/** `--adapter`, required: a built-in kit's name or a module path. */
export function adapterOption(args: ParsedArgs): string {
  const adapter = stringOption(args, 'adapter');
  if (adapter === undefined)
    throw new UsageError(
      '--adapter is required',
      `Write --adapter ${KITS.map((k) => k.name).join('|')} or --adapter ./path/to/module.js.`,
    );
  return adapter;
}

/** Where the target's backend lives: `--url` (default the kit's variable, `$STATEPROOF_PG_URL` or `$STATEPROOF_REDIS_URL`) and `--file`, as the kits take them. */
export interface TargetSettings {
  readonly url?: string;
  readonly file?: string;
}

/**
 * The `--url` and `--file` options as {@link TargetSettings}, leaving out what was not given; without
 * `--url`, a built-in kit's URL comes from its environment variable.
 */
export function targetSettings(args: ParsedArgs, io: CliIo, adapter: string): TargetSettings {
  const variable = KITS.find((k) => k.name === adapter)?.urlEnvironment;
  const url = stringOption(args, 'url') ?? (variable === undefined ? undefined : io.env[variable]);
  const file = stringOption(args, 'file');
  return { ...(url ? { url } : {}), ...(file ? { file } : {}) };
}
