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
  /** `--own-server`: the kit starts a server of its own (stop it with `target.server.stop()` after the run). */
  readonly ownServer?: boolean;
}

/**
 * The `--url` and `--file` options as {@link TargetSettings}, leaving out what was not given; without
 * `--url`, a built-in kit's URL comes from its environment variable.
 */
export function targetSettings(args: ParsedArgs, io: CliIo, adapter: string): TargetSettings {
  const variable = KITS.find((k) => k.name === adapter)?.urlEnvironment;
  const url = stringOption(args, 'url') ?? (variable === undefined ? undefined : io.env[variable]);
  const file = stringOption(args, 'file');
  const ownServer = args.flags.has('own-server');
  if (ownServer) {
    const kit = KITS.find((k) => k.name === adapter);
    if (!kit?.ownServer)
      throw new UsageError(
        `--own-server: ${kit ? `the ${adapter} adapter has no server to start` : `${adapter} is not a built-in server adapter`}`,
        `--own-server applies to ${KITS.filter((k) => k.ownServer)
          .map((k) => k.name)
          .join(' and ')}; drop it.`,
      );
    if (stringOption(args, 'url') !== undefined)
      throw new UsageError(
        '--own-server starts a server of its own, so it does not go with --url',
        'Drop one of them: --url runs against that server, --own-server against one the harness starts.',
      );
    return { ...(file ? { file } : {}), ownServer: true };
  }
  return { ...(url ? { url } : {}), ...(file ? { file } : {}) };
}
