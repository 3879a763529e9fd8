import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { certificateWithCrash, CRASH_KINDS, runCrash } from '@stateproof/conformance';
import { CertificateSchema, checkDocument, DURABILITY_CLASSES, type CertificateDocument } from '@stateproof/spec';
import { intOption, listOption, stringOption } from '../args/option-values.js';
import { adapterOption, refusePositionals, targetSettings } from '../args/target-options.js';
import { UsageError } from '../args/usage-error.js';
import { EXIT } from '../io/exit-codes.js';
import { resolveTarget } from '../targets/resolve-target.js';
import type { Command } from './command.js';
import { crashProgress, crashSummary, violationText } from './crash-output.js';

export { crashProgress } from './crash-output.js';

/** `stateproof crash`: the process (and backend) crash-and-restart harness. */
export const crashCommand: Command = {
  name: 'crash',
  summary:
    'Kill worker processes (and the backend) mid-workload, restart them, and check that nothing acknowledged was lost.',
  usage:
    'stateproof crash --adapter <name|module> [--kinds K,..] [--class C] [--kills N] [--workers N] [--seed N] [--kill-backend] [--json] [--out FILE]',
  details: [
    'Worker processes run random workloads of every kind and report each acknowledged operation before going',
    'on; the harness SIGKILLs them at random moments (half of the time in the middle of a large batch),',
    'restarts them, and checks per kind: every acknowledged write present, nothing never written, versions and',
    "sequences never reused, cursors never behind, a dead worker's leases expire and others finish its tasks and",
    'claims, its dataspace assertions are retracted and subscribers see it. With --kill-backend the server',
    '(a harness-owned one) is killed too. The adapter must claim a class that survives a process kill.',
    '',
    'With --class derived-projection the workers append to a source log (the strongest authoritative class the',
    'adapter claims for logs) and race projectors of a record and a log projection of it, killed mid-commit;',
    'the check compares each projection with the fold of the source up to its committed cursor (an entry',
    'applied twice or skipped shows), then after a catch-up with the fold of the whole source.',
    '',
    'With --out FILE: a certificate from `stateproof conform --out FILE` gets the crash results added (and',
    'its class verdicts settled again: a class needing a crash becomes certified once it ran); otherwise a',
    'certificate holding the crash results is written (its classes still owe the conform checks).',
    '`stateproof certify` runs conform and the crashes a class needs in one go.',
    '',
    'Exit status: 0 no violation; 1 violations found, or the adapter threw while starting; 2 usage error or an',
    'adapter the harness cannot run.',
  ].join('\n'),
  options: [
    {
      name: 'adapter',
      kind: 'string',
      valueName: 'name|module',
      description:
        'The adapter under test (required); a module must give its target a `spawn` recipe or be importable again by the workers.',
    },
    {
      name: 'kinds',
      kind: 'string',
      valueName: 'kinds',
      repeatable: true,
      description: `Only these kinds (${CRASH_KINDS.join(', ')}); default all the adapter makes durable.`,
    },
    {
      name: 'class',
      kind: 'string',
      valueName: 'class',
      description:
        'The class under test (default: the first claimed class that survives a process kill; derived-projection only when named).',
    },
    { name: 'kills', kind: 'string', valueName: 'N', description: 'Worker kills (default 6).' },
    {
      name: 'workers',
      kind: 'string',
      valueName: 'N',
      description: 'Worker processes (default 3: two stay live while a third is killed).',
    },
    {
      name: 'seed',
      kind: 'string',
      valueName: 'N',
      description: 'Seed of the workloads and the kill schedule (default random).',
    },
    {
      name: 'kill-backend',
      kind: 'flag',
      description:
        'Also SIGKILL the backend server during the workload (server adapters with a harness-owned server: postgres starts its own with initdb in a temp dir on a free port, redis a redis-server with appendfsync always in a temp dir).',
    },
    { name: 'url', kind: 'string', valueName: 'url', description: 'Server URL for server adapters.' },
    {
      name: 'file',
      kind: 'string',
      valueName: 'path',
      description: 'Database file for file adapters (default: a temporary directory).',
    },
    { name: 'json', kind: 'flag', description: 'Print the crash results as JSON.' },
    {
      name: 'out',
      kind: 'string',
      valueName: 'FILE',
      description: 'Add the results to the certificate in FILE (or write a new one).',
    },
  ],
  examples: [
    'stateproof crash --adapter sqlite',
    'stateproof crash --adapter ./examples/json-file-adapter/target.mjs --kinds record --kills 10',
    'stateproof crash --adapter postgres --kill-backend',
  ],
  async run(args, io) {
    refusePositionals(args, 'crash');
    const adapter = adapterOption(args);
    const kinds = listOption(args, 'kinds', CRASH_KINDS);
    const cls = listOption(args, 'class', DURABILITY_CLASSES)?.[0];
    const kills = intOption(args, 'kills', { min: 1, max: 10_000 });
    const workers = intOption(args, 'workers', { min: 1, max: 32 });
    const seed = intOption(args, 'seed', { min: 0, max: 2 ** 31 - 1 });
    const settings = targetSettings(args, io, adapter);
    const killBackend = args.flags.has('kill-backend');
    const out = stringOption(args, 'out');
    let base: CertificateDocument | undefined;
    if (out !== undefined) {
      const text = await readFile(resolve(io.cwd, out), 'utf8').catch(() => undefined);
      if (text !== undefined) {
        const doc = JSON.parse(text) as unknown;
        const problems = checkDocument(CertificateSchema, doc);
        if (problems.length > 0)
          throw new UsageError(
            `${out} exists but is not a certificate (${problems[0]?.path}: ${problems[0]?.message})`,
            'Give --out a new file, or the certificate written by `stateproof conform --out`.',
          );
        base = doc as CertificateDocument;
      }
    }
    if (killBackend && (adapter === 'postgres' || adapter === 'redis') && stringOption(args, 'url') !== undefined)
      throw new UsageError(
        '--kill-backend kills a server the harness starts for itself, never the one at --url',
        'Drop --url; without --kill-backend the workers run against --url and only they are killed.',
      );
    const { target } = await resolveTarget(
      adapter,
      { ...settings, ...(killBackend ? { ownServer: true } : {}) },
      io.cwd,
      { forCrash: true },
    );
    if (killBackend && !target.server)
      throw new UsageError(
        `--kill-backend needs a server the harness owns, and the ${target.name} target has none`,
        'Drop --kill-backend, or use an adapter whose target starts its own server (postgres, redis).',
      );
    let report;
    try {
      report = await runCrash({
        target,
        ...(kinds ? { kinds } : {}),
        ...(cls ? { cls } : {}),
        ...(kills === undefined ? {} : { kills }),
        ...(workers === undefined ? {} : { workers }),
        ...(seed === undefined ? {} : { seed }),
        killBackend,
        onProgress: crashProgress(io.stderr),
      });
      // Before the server stops: a new certificate probes the backend.
      if (out !== undefined) {
        await mkdir(dirname(resolve(io.cwd, out)), { recursive: true });
        await writeFile(
          resolve(io.cwd, out),
          JSON.stringify(await certificateWithCrash(report, target, base), null, 2) + '\n',
        );
      }
    } catch (error) {
      const message = (error as Error).message;
      if (/claims no class|no spawn recipe|not built/.test(message))
        throw new UsageError(message, 'See `stateproof crash --help` and docs/conformance.md.');
      throw error;
    } finally {
      await target.server?.stop?.();
    }
    if (args.flags.has('json'))
      io.stdout.write(
        JSON.stringify(
          {
            verdict: report.verdict,
            class: report.cls,
            seed: report.seed,
            results: report.results,
            errors: report.errors,
          },
          null,
          2,
        ) + '\n',
      );
    else {
      io.stdout.write(
        `${report.verdict === 'pass' ? 'PASS' : 'FAIL'}: ${target.name}, class ${report.cls}, seed ${report.seed}\n`,
      );
      io.stdout.write(crashSummary(report));
      for (const r of report.results.filter((x) => x.violations.length > 0)) {
        io.stdout.write(`  ${r.status} ${r.scenario}: ${r.violations.length} violations\n`);
        for (const v of r.violations.slice(0, 10)) io.stdout.write(violationText(v));
      }
      if (out !== undefined) io.stdout.write(`certificate ${base ? 'updated' : 'written'}: ${out}\n`);
      if (report.verdict === 'fail')
        io.stdout.write(`Replay the same workload and kill schedule with --seed ${report.seed}.\n`);
    }
    return report.verdict === 'pass' ? EXIT.ok : EXIT.failed;
  },
};
