import { UsageError } from './usage-error.js';

/** How a verb declares one option. */
export interface OptionSpec {
  /** `--name` on the command line. */
  readonly name: string;
  /** Takes a value (`--name value` or `--name=value`) or is a flag. */
  readonly kind: 'flag' | 'string';
  readonly description: string;
  /** Shown as `--name <valueName>`. */
  readonly valueName?: string;
  /** May be given several times (values collected). */
  readonly repeatable?: boolean;
}

/** The parsed command line of a verb. */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string[]>;
}

/** Parses `argv` against a verb's options; unknown or malformed options are UsageErrors naming the fix. */
export function parseArgs(argv: readonly string[], options: readonly OptionSpec[], verb: string): ParsedArgs {
  const byName = new Map(options.map((o) => [o.name, o]));
  const positionals: string[] = [];
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg !== '-')
        throw new UsageError(`unknown option ${arg}`, `Options are long (--name); see \`stateproof ${verb} --help\`.`);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = byName.get(name);
    if (!spec)
      throw new UsageError(`unknown option --${name}`, `See \`stateproof ${verb} --help\` for the options of ${verb}.`);
    if (spec.kind === 'flag') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`, `Write --${name} alone.`);
      flags.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--'))
        throw new UsageError(`--${name} needs a value`, `Write --${name} <${spec.valueName ?? 'value'}>.`);
      i++;
    }
    const list = values.get(name) ?? [];
    if (list.length > 0 && !spec.repeatable) throw new UsageError(`--${name} given twice`, `Give --${name} once.`);
    list.push(value);
    values.set(name, list);
  }
  return { positionals, flags, values };
}
