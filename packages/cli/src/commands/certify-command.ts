import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  certificateWithCrash,
  certificateWithOutage,
  CRASH_KINDS,
  runConformance,
  runCrash,
  runTelemetryOutage,
  type ConformanceReport,
} from '@stateproof/conformance';
import {
  CLASSES,
  DURABILITY_CLASSES,
  SURFACE_KINDS,
  type CertificateDocument,
  type DurabilityClass,
} from '@stateproof/spec';
import { intOption, listOption, stringOption } from '../args/option-values.js';
import { adapterOption, refusePositionals, targetSettings, type TargetSettings } from '../args/target-options.js';
import { UsageError } from '../args/usage-error.js';
import { progressPrinter } from '../conform/progress-printer.js';
import { reportSummary } from '../conform/report-summary.js';
import { EXIT } from '../io/exit-codes.js';
import { KITS } from '../targets/kits.js';
import { resolveTarget } from '../targets/resolve-target.js';
import type { Command } from './command.js';
import { crashProgress } from './crash-command.js';

/** `stateproof certify`: conform, then every crash check the claimed classes need, into one certificate. */
export const certifyCommand: Command = {
  name: 'certify',
  summary: 'Run conform and every crash check the claimed classes need, and write one certificate.',
  usage:
    'stateproof certify --adapter <name|module> [--kinds K,..] [--class C,..] [--runs N] [--kills N] [--seed N] [--json] [--out FILE]',
  details: [
    'Runs the conformance suite (as `stateproof conform`), then, for every claimed class whose taxonomy checks',
    'include a process crash (restart-safe-local, shared-durable), the crash harness on the kinds of that class:',
    'worker processes killed with SIGKILL; for a class that also needs a backend crash (shared-durable), with the',
    'backend killed too when the target owns a server it may kill (postgres starts its own; a module target gives',
    '`server`). The results go into one certificate. Each class is certified only when every check the taxonomy',
    'requires for it ran and passed; otherwise partial (the missing checks named) or fail. A derived projection',
    'gets its own crash run (projectors killed mid-commit, projections compared with the fold of their source;',
    'the backend killed too when the kit starts a server of its own: postgres, redis);',
    'telemetry logs, when the target can start a server of its own, an outage (the server killed while entries',
    'are emitted: the buffer keeps what fits, counts what did not, and delivers it in order once it is back).',
    '',
    'Exit status: 0 every claimed class certified; 1 a check failed, or a class is only partial (a check could not',
    'run, e.g. no server control for a backend kill), or the adapter threw while starting; 2 usage error or',
    'nothing selected (no certificate is written).',
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
    { name: 'runs', kind: 'string', valueName: 'N', description: 'Runs per property (default 30).' },
    { name: 'kills', kind: 'string', valueName: 'N', description: 'Worker kills per crash run (default 6).' },
    { name: 'workers', kind: 'string', valueName: 'N', description: 'Crash worker processes (default 3).' },
    {
      name: 'seed',
      kind: 'string',
      valueName: 'N',
      description: 'Seed of the run and of the crash schedule (default random).',
    },
    {
      name: 'url',
      kind: 'string',
      valueName: 'url',
      description:
        'Server URL for server adapters (conform and process kills; backend kills use a server of their own).',
    },
    {
      name: 'own-server',
      kind: 'flag',
      description:
        'Conform against a server the harness starts for itself (Postgres, Redis) in a durable configuration; not with --url.',
    },
    {
      name: 'file',
      kind: 'string',
      valueName: 'path',
      description: 'Database file for file adapters (default: a temporary directory).',
    },
    { name: 'json', kind: 'flag', description: 'Print the certificate as JSON on stdout instead of the summary.' },
    { name: 'out', kind: 'string', valueName: 'FILE', description: 'Write the certificate to FILE.' },
  ],
  examples: [
    'stateproof certify --adapter sqlite --out .stateproof/sqlite-certificate.json',
    'stateproof certify --adapter postgres --out .stateproof/postgres-certificate.json',
    'stateproof certify --adapter ./dist/my-target.js --kinds record --kills 10',
  ],
  async run(args, io) {
    refusePositionals(args, 'certify');
    const adapter = adapterOption(args);
    const kinds = listOption(args, 'kinds', SURFACE_KINDS);
    const classes = listOption(args, 'class', DURABILITY_CLASSES);
    const runs = intOption(args, 'runs', { min: 1, max: 100_000 });
    const kills = intOption(args, 'kills', { min: 1, max: 10_000 });
    const workers = intOption(args, 'workers', { min: 1, max: 32 });
    const seed = intOption(args, 'seed', { min: 0, max: 2 ** 31 - 1 });
    const settings = targetSettings(args, io, adapter);
    const { target, module } = await resolveTarget(adapter, settings, io.cwd);

    const report = await runConformance({
      target,
      ...(kinds ? { kinds } : {}),
      ...(classes ? { classes } : {}),
      ...(runs === undefined ? {} : { runs }),
      ...(seed === undefined ? {} : { seed }),
      ...(module ? { module } : {}),
      onProgress: progressPrinter(io.stderr),
    }).finally(() => target.server?.stop?.());
    let cert: CertificateDocument = report.certificate;
    const notes: string[] = [];
    if (report.verdict === 'fail') notes.push('crash checks not run: the conformance suite failed first');
    else
      for (const cls of crashClasses(cert)) {
        const crashKinds = [...new Set(cert.classes.filter((c) => c.class === cls).map((c) => c.kind))].filter((k) =>
          CRASH_KINDS.includes(k),
        );
        // A class whose state must outlive a backend kill, or be rebuilt after one (a projection's
        // commit of writes with its cursor), gets the backend killed too when the kit can start a
        // server of its own to kill; only the first makes it a required check.
        const wantsBackend =
          CLASSES[cls].checks.includes('backend-crash') ||
          (CLASSES[cls].guarantees.survivesBackendKill === 'rebuildable' &&
            KITS.some((k) => k.name === adapter && k.ownServer === true));
        cert = await crashInto(cert, {
          adapter,
          cls,
          kinds: crashKinds,
          wantsBackend,
          settings,
          io,
          notes,
          kills,
          workers,
          seed: cert.run.seed,
        });
      }
    if (report.verdict !== 'fail' && cert.classes.some((c) => c.class === 'telemetry' && c.kind === 'log'))
      cert = await outageInto(cert, { adapter, settings, io, notes });

    const out = stringOption(args, 'out');
    if (out !== undefined) {
      await mkdir(dirname(resolve(io.cwd, out)), { recursive: true });
      await writeFile(resolve(io.cwd, out), JSON.stringify(cert, null, 2) + '\n');
    }
    if (args.flags.has('json')) io.stdout.write(JSON.stringify(cert, null, 2) + '\n');
    else {
      const merged: ConformanceReport = {
        ...report,
        verdict: cert.verdict === 'fail' ? 'fail' : 'pass',
        certificate: cert,
        requirements: cert.requirements as unknown as ConformanceReport['requirements'],
      };
      io.stdout.write(
        reportSummary(merged, {
          ...(out === undefined ? {} : { certificatePath: out }),
          partialHint:
            'Nothing failed, but a class is only partial: the checks above did not run (see the notes). Exit status 1.',
        }),
      );
      for (const c of cert.crash)
        io.stdout.write(
          `crash ${c.status.padEnd(4)} ${c.scenario} [${c.class ?? '?'}]: ${c.kills} kills, ${c.acknowledged} acknowledged${c.violations.length > 0 ? `, ${c.violations.length} violations: ${c.violations[0]?.split('\n')[0]}` : ''}\n`,
        );
      for (const n of notes) io.stdout.write(`note: ${n}\n`);
    }
    return cert.verdict === 'certified' ? EXIT.ok : EXIT.failed;
  },
};

/** The classes of a certificate whose taxonomy checks include a process crash, in taxonomy order. */
function crashClasses(cert: CertificateDocument): DurabilityClass[] {
  return DURABILITY_CLASSES.filter(
    (cls) => CLASSES[cls].checks.includes('process-crash') && cert.classes.some((c) => c.class === cls),
  );
}

/**
 * Telemetry under an outage, when the target can start a server of its own to kill (Postgres,
 * Redis): an embedded backend has no outage to survive, so nothing runs and nothing is owed.
 */
async function outageInto(
  cert: CertificateDocument,
  o: { adapter: string; settings: TargetSettings; io: Parameters<Command['run']>[1]; notes: string[] },
): Promise<CertificateDocument> {
  let resolved;
  try {
    resolved = await resolveTarget(
      o.adapter,
      { ...(o.settings.file ? { file: o.settings.file } : {}), ownServer: true },
      o.io.cwd,
      { forCrash: true },
    );
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return cert;
  }
  const target = resolved.target;
  if (!target.server) return cert;
  try {
    o.io.stderr.write(
      `stateproof: telemetry under an outage: the ${target.name} server is killed while entries are emitted\n`,
    );
    const report = await runTelemetryOutage({
      target,
      onProgress: (e) => {
        if (e.type === 'down')
          o.io.stderr.write(`outage: ${e.emitted} emitted while down, ${e.pending} buffered, ${e.dropped} dropped\n`);
        else if (e.type === 'back') o.io.stderr.write(`outage: the server is back after ${Math.round(e.downMs)} ms\n`);
        else o.io.stderr.write(`outage: ${e.status}${e.violations > 0 ? `, ${e.violations} violations` : ''}\n`);
      },
    });
    return certificateWithOutage(report, cert);
  } finally {
    await target.server.stop?.();
  }
}

/** Runs the crash harness for one class and merges it; a harness that cannot run leaves the class partial, with a note. */
async function crashInto(
  cert: CertificateDocument,
  o: {
    adapter: string;
    cls: DurabilityClass;
    kinds: CertificateDocument['run']['kinds'];
    wantsBackend: boolean;
    settings: TargetSettings;
    io: Parameters<Command['run']>[1];
    notes: string[];
    kills: number | undefined;
    workers: number | undefined;
    seed: number;
  },
): Promise<CertificateDocument> {
  if (o.kinds.length === 0) return cert;
  let resolved;
  try {
    // A backend kill needs a server the harness owns (never the one at --url): ask the kit for one.
    resolved = await resolveTarget(
      o.adapter,
      o.wantsBackend ? { ...(o.settings.file ? { file: o.settings.file } : {}), ownServer: true } : o.settings,
      o.io.cwd,
      { forCrash: true },
    );
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    o.notes.push(`${o.cls}: the crash harness could not start the target: ${error.message}`);
    return cert;
  }
  const target = resolved.target;
  const killBackend = o.wantsBackend && target.server !== undefined;
  if (o.wantsBackend && !killBackend)
    o.notes.push(
      `${o.cls}: the ${target.name} target has no server control, so the backend was not killed (backend-crash stays missing)`,
    );
  try {
    const report = await runCrash({
      target,
      cls: o.cls,
      kinds: o.kinds,
      killBackend,
      seed: o.seed,
      ...(o.kills === undefined ? {} : { kills: o.kills }),
      ...(o.workers === undefined ? {} : { workers: o.workers }),
      onProgress: crashProgress(o.io.stderr),
    });
    for (const e of report.errors.slice(0, 5)) o.notes.push(`${o.cls}: crash harness: ${e.split('\n')[0]}`);
    // Before the server stops: the merge may probe the backend.
    return await certificateWithCrash(report, target, cert);
  } catch (error) {
    const message = (error as Error).message;
    if (!/claims no class|no spawn recipe|not built|no server control/.test(message)) throw error;
    o.notes.push(`${o.cls}: the crash harness cannot run: ${message}`);
    return cert;
  } finally {
    await target.server?.stop?.();
  }
}
