import type { DeploymentOverride } from '@stateproof/lint';
import type { OptionSpec, ParsedArgs } from '../args/parse-args.js';
import { UsageError } from '../args/usage-error.js';

/** Options shared by `lint` and `manifest`: which files, which manifest, which deployment. */
export const PROJECT_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'project',
    kind: 'string',
    valueName: 'FILE',
    description: 'The tsconfig that lists the files (default ./tsconfig.json). Or give globs as arguments.',
  },
  {
    name: 'manifest',
    kind: 'string',
    valueName: 'FILE',
    description: 'The checked-in manifest (default stateproof.manifest.json beside the tsconfig).',
  },
  {
    name: 'replicas',
    kind: 'string',
    valueName: 'N',
    description: 'Replicas of the deployment (overrides deployment.replicas of the manifest or inventory).',
  },
  {
    name: 'allow-local',
    kind: 'string',
    valueName: 'ID',
    repeatable: true,
    description: 'A restart-safe-local surface allowed with several replicas (repeatable).',
  },
];

/** Where the source files come from: `--project` or globs, never both. */
export function projectOf(args: ParsedArgs): { project?: string; globs?: string[] } {
  const project = args.values.get('project')?.[0];
  if (project !== undefined && args.positionals.length > 0) {
    throw new UsageError(
      'give either --project or globs, not both',
      'Globs select files without a tsconfig; --project reads the files a tsconfig lists.',
    );
  }
  if (project !== undefined) return { project };
  return args.positionals.length > 0 ? { globs: [...args.positionals] } : {};
}

/** The deployment given on the command line, if any. */
export function deploymentOf(args: ParsedArgs): DeploymentOverride | undefined {
  const raw = args.values.get('replicas')?.[0];
  const allow = args.values.get('allow-local');
  let replicas: number | undefined;
  if (raw !== undefined) {
    replicas = Number(raw);
    if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(replicas) || replicas < 1)
      throw new UsageError(`--replicas must be a positive integer, got ${JSON.stringify(raw)}`, 'Write --replicas 3.');
  }
  if (replicas === undefined && allow === undefined) return undefined;
  return {
    ...(replicas === undefined ? {} : { replicas }),
    ...(allow === undefined ? {} : { allowLocalState: allow }),
  };
}

/** Quotes an argument for a shell command line the user can paste. */
function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/** The `stateproof manifest --write` command that regenerates the manifest of the same project. */
export function writeCommand(args: ParsedArgs): string {
  const parts = ['stateproof', 'manifest', '--write'];
  const project = args.values.get('project')?.[0];
  if (project !== undefined) parts.push('--project', project);
  const manifest = args.values.get('manifest')?.[0];
  if (manifest !== undefined) parts.push('--manifest', manifest);
  parts.push(...args.positionals);
  return parts.map(shellQuote).join(' ');
}
