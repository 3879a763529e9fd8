import { runMutants, type Mutant, type MutantResult } from '@stateproof/conformance';
import { intOption } from '../args/option-values.js';
import { UsageError } from '../args/usage-error.js';
import { EXIT } from '../io/exit-codes.js';
import { KITS } from '../targets/kits.js';
import type { Command } from './command.js';

/** The mutants every kit carries: the memory adapter's, then the engine mutants of SQLite, Postgres and Redis. */
const MUTANTS: readonly Mutant[] = KITS.flatMap((k) => k.mutants);

/** `stateproof mutants`: runs the suite against every deliberately broken adapter and counts the catches. */
export const mutantsCommand: Command = {
  name: 'mutants',
  summary: 'Run the suite against deliberately broken adapters and report how many it catches.',
  usage: 'stateproof mutants [--only NAME,..] [--runs N] [--seed N] [--list] [--json]',
  details: [
    'Each mutant is an adapter with one realistic bug: the memory adapter (ignores CAS, reuses versions, no fencing',
    'on complete, a reaper limited to its own worker, …), or an engine mutant of the SQLite, Postgres or Redis kit',
    "(a probe that lies about durability, caught by killing the server; a check after a Redis script's first write;",
    "listing by SCAN, …). The suite runs the mutant's kind against it (and the crash harness where the bug needs a",
    'kill); a mutant is caught when a requirement or crash check fails. The last line is `caught N of M mutants`.',
    'Engine mutants need their server (Postgres, redis-server binaries); one that cannot run here says why.',
    '',
    'Exit status: 0 every mutant was caught; 1 at least one escaped; 2 usage error.',
  ].join('\n'),
  options: [
    {
      name: 'only',
      kind: 'string',
      valueName: 'names',
      repeatable: true,
      description: 'Only these mutants (comma-separated names; see --list).',
    },
    { name: 'runs', kind: 'string', valueName: 'N', description: 'Runs per property (default 30).' },
    { name: 'seed', kind: 'string', valueName: 'N', description: 'Seed (default random).' },
    { name: 'list', kind: 'flag', description: 'List the mutants and the bug each carries, and exit.' },
    { name: 'json', kind: 'flag', description: 'Print the results as JSON.' },
  ],
  examples: ['stateproof mutants', 'stateproof mutants --only queue-double-claim --seed 7'],
  async run(args, io) {
    if (args.positionals.length > 0)
      throw new UsageError(
        `unexpected argument "${args.positionals[0]}"`,
        'mutants takes options only; see `stateproof mutants --help`.',
      );
    if (args.flags.has('list')) {
      const width = Math.max(...MUTANTS.map((m) => m.name.length));
      for (const m of MUTANTS)
        io.stdout.write(`${m.name.padEnd(width)}  ${m.kind.padEnd(9)}  ${m.bug} (breaks ${m.breaks.join(', ')})\n`);
      return EXIT.ok;
    }
    const only = args.values
      .get('only')
      ?.flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
    const unknown = (only ?? []).filter((n) => !MUTANTS.some((m) => m.name === n));
    if (unknown.length > 0)
      throw new UsageError(`unknown mutant ${unknown.join(', ')}`, 'Run `stateproof mutants --list` for their names.');
    const chosen = only ? MUTANTS.filter((m) => only.includes(m.name)) : MUTANTS;
    // A mutant that needs what this machine lacks (a Postgres server of its own) is skipped loudly; under CI=true it runs and fails.
    const skip = new Map(
      io.env.CI === 'true'
        ? []
        : chosen.flatMap((m) =>
            m.unavailable?.() === undefined ? [] : [[m.name, m.unavailable() as string] as const],
          ),
    );
    for (const [name, why] of skip) io.stderr.write(`*** SKIPPED mutant ${name}: ${why} ***\n`);
    const mutants = chosen.filter((m) => !skip.has(m.name));
    const runs = intOption(args, 'runs', { min: 1, max: 100_000 });
    const seed = intOption(args, 'seed', { min: -(2 ** 31), max: 2 ** 31 - 1 }) ?? Math.floor(Math.random() * 2 ** 31);
    const json = args.flags.has('json');
    io.stderr.write(`stateproof: running the suite against ${mutants.length} mutants, seed ${seed}\n`);
    const width = Math.max(...mutants.map((m) => m.name.length));
    const results = await runMutants({
      mutants,
      seed,
      ...(runs === undefined ? {} : { runs }),
      onResult: (r: MutantResult, i, total) => {
        const line = `[${i + 1}/${total}] ${r.caught ? 'caught' : 'MISSED'} ${r.mutant.name.padEnd(width)}  ${(r.durationMs / 1000).toFixed(1)} s  ${r.caught ? `failed ${r.failed.join(', ')}` : `(${r.mutant.bug})`}\n`;
        (json ? io.stderr : io.stdout).write(line);
      },
    });
    const caught = results.filter((r) => r.caught).length;
    if (json) {
      io.stdout.write(
        JSON.stringify(
          {
            seed,
            caught,
            total: results.length,
            mutants: results.map((r) => ({
              name: r.mutant.name,
              kind: r.mutant.kind,
              bug: r.mutant.bug,
              breaks: r.mutant.breaks,
              caught: r.caught,
              failed: r.failed,
              reason: r.reason ?? null,
              durationMs: Math.round(r.durationMs),
            })),
          },
          null,
          2,
        ) + '\n',
      );
    } else {
      const missed = results.filter((r) => !r.caught);
      if (missed.length > 0)
        io.stdout.write(
          `\nThe suite missed ${missed.map((r) => r.mutant.name).join(', ')}: a property that passes against a broken adapter is a bug in the suite.\nReplay with: stateproof mutants --only ${missed.map((r) => r.mutant.name).join(',')} --seed ${seed}\n`,
        );
      io.stdout.write(`caught ${caught} of ${results.length} mutants\n`);
    }
    return caught === results.length ? EXIT.ok : EXIT.failed;
  },
};
