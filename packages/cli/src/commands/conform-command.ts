import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { runConformance } from '@stateproof/conformance';
import { DURABILITY_CLASSES, SURFACE_KINDS } from '@stateproof/spec';
import { intOption, listOption, stringOption } from '../args/option-values.js';
import { adapterOption, refusePositionals, targetSettings } from '../args/target-options.js';
import { UsageError } from '../args/usage-error.js';
import { progressPrinter } from '../conform/progress-printer.js';
import { reportSummary } from '../conform/report-summary.js';
import { EXIT } from '../io/exit-codes.js';
import { KITS } from '../targets/kits.js';
import { resolveTarget } from '../targets/resolve-target.js';
import type { Command } from './command.js';

/** `stateproof conform`: runs the conformance suite against an adapter and writes its certificate. */
export const conformCommand: Command = {
  name: 'conform',
  summary: 'Run the conformance suite against an adapter and print (or write) its certificate.',
  usage:
    'stateproof conform --adapter <name|module> [--kinds K,..] [--class C,..] [--property P] [--runs N] [--seed N] [--json] [--out FILE]',
  details: [
    `--adapter is a built-in adapter (${KITS.map((k) => k.name).join(', ')}) or a path to an ES module exporting`,
    'a conformance target (see docs/conformance.md for exactly what it must export).',
    'Every class the adapter claims for every kind it supports gets the properties that apply to it; each',
    'requirement of spec/contract is passed, failed (with the shrunk counterexample and a replay command) or',
    'skipped (with the reason). Progress goes to stderr; the summary (or, with --json, the certificate) to stdout.',
    '',
    'Each claimed class gets a verdict per kind: certified only when every check the taxonomy requires for it ran',
    'and passed; partial, with the missing checks named, when nothing failed but something did not run (conform',
    'kills no process: a restart-safe or shared-durable class stays partial until `stateproof certify`); fail.',
    'An unknown --property, --kinds or --class, a class the adapter does not claim, or a selection that runs no',
    'property is refused (exit 2, no certificate), with the valid names.',
    '',
    'Exit status: 0 nothing failed (the headline says CERTIFIED or PARTIAL); 1 something failed, or the adapter',
    'threw while starting; 2 usage error, nothing selected, or unusable adapter module.',
  ].join('\n'),
  options: [
    { name: 'adapter', kind: 'string', valueName: 'name|module', description: 'The adapter under test (required).' },
    {
      name: 'kinds',
      kind: 'string',
      valueName: 'kinds',
      repeatable: true,
      description: `Only these kinds (${SURFACE_KINDS.join(', ')}); default all.`,
    },
    {
      name: 'class',
      kind: 'string',
      valueName: 'classes',
      repeatable: true,
      description: 'Only these claimed classes; default every class the adapter claims.',
    },
    {
      name: 'runs',
      kind: 'string',
      valueName: 'N',
      description: 'Runs per property (default 30); scale up for deep runs.',
    },
    {
      name: 'seed',
      kind: 'string',
      valueName: 'N',
      description: 'Seed of the run (default random; printed and recorded).',
    },
    {
      name: 'property',
      kind: 'string',
      valueName: 'name',
      description: 'Only this property (or a prefix ending in /, e.g. record/).',
    },
    {
      name: 'path',
      kind: 'string',
      valueName: 'path',
      description: 'With --property and --seed: replay the counterexample at this path.',
    },
    {
      name: 'replay-path',
      kind: 'string',
      valueName: 'path',
      description: 'With --path: the command sequence replay path printed in the counterexample.',
    },
    {
      name: 'shrink-ms',
      kind: 'string',
      valueName: 'ms',
      description: 'Longest the shrinking of one failure may take (default 10000); more gives smaller counterexamples.',
    },
    {
      name: 'url',
      kind: 'string',
      valueName: 'url',
      description:
        'Server URL for server adapters (Postgres default: $STATEPROOF_PG_URL or postgres://postgres@127.0.0.1:5432/test; Redis: $STATEPROOF_REDIS_URL or redis://127.0.0.1:6379).',
    },
    {
      name: 'file',
      kind: 'string',
      valueName: 'path',
      description: 'Database file for file adapters (SQLite default: a temporary directory).',
    },
    {
      name: 'own-server',
      kind: 'flag',
      description:
        'Run against a server the harness starts for itself (Postgres, Redis) in a durable configuration, stopped afterwards; not with --url.',
    },
    { name: 'json', kind: 'flag', description: 'Print the certificate as JSON on stdout instead of the summary.' },
    { name: 'out', kind: 'string', valueName: 'FILE', description: 'Write the certificate to FILE.' },
  ],
  examples: [
    'stateproof conform --adapter memory',
    'stateproof conform --adapter ./dist/my-target.js --kinds record --out certificate.json',
    'stateproof conform --adapter memory --property record/model --class ephemeral --seed 42 --path 3:1',
    'stateproof conform --adapter redis --own-server',
  ],
  async run(args, io) {
    refusePositionals(args, 'conform');
    const adapter = adapterOption(args);
    const kinds = listOption(args, 'kinds', SURFACE_KINDS);
    const classes = listOption(args, 'class', DURABILITY_CLASSES);
    const runs = intOption(args, 'runs', { min: 1, max: 100_000 });
    const seed = intOption(args, 'seed', { min: -(2 ** 31), max: 2 ** 31 - 1 });
    const property = stringOption(args, 'property');
    const path = stringOption(args, 'path');
    if (path !== undefined && (property === undefined || seed === undefined))
      throw new UsageError(
        '--path replays one counterexample and needs --property and --seed',
        'Copy the whole replay command printed with the failure.',
      );
    const replayPath = stringOption(args, 'replay-path');
    if (replayPath !== undefined && path === undefined)
      throw new UsageError('--replay-path goes with --path', 'Copy the whole replay command printed with the failure.');
    const shrinkTimeMs = intOption(args, 'shrink-ms', { min: 0, max: 3_600_000 });
    const { target, module } = await resolveTarget(adapter, targetSettings(args, io, adapter), io.cwd);
    const report = await runConformance({
      target,
      ...(kinds ? { kinds } : {}),
      ...(classes ? { classes } : {}),
      ...(runs === undefined ? {} : { runs }),
      ...(seed === undefined ? {} : { seed }),
      ...(property === undefined ? {} : { property }),
      ...(path === undefined ? {} : { path }),
      ...(replayPath === undefined ? {} : { replayPath }),
      ...(shrinkTimeMs === undefined ? {} : { shrinkTimeMs }),
      ...(module ? { module } : {}),
      onProgress: progressPrinter(io.stderr),
    }).finally(() => target.server?.stop?.());
    const out = stringOption(args, 'out');
    if (out !== undefined) {
      await mkdir(dirname(resolve(io.cwd, out)), { recursive: true });
      await writeFile(resolve(io.cwd, out), JSON.stringify(report.certificate, null, 2) + '\n');
    }
    io.stdout.write(
      args.flags.has('json')
        ? JSON.stringify(report.certificate, null, 2) + '\n'
        : reportSummary(report, out === undefined ? {} : { certificatePath: out }),
    );
    return report.verdict === 'pass' ? EXIT.ok : EXIT.failed;
  },
};
