import { randomBytes } from 'node:crypto';
import type { Adapter } from '@stateproof/core';
import {
  CLASS_FAULTS,
  DURABILITY_CLASSES,
  FAULTS,
  type DurabilityClass,
  type ProbeResultDocument,
} from '@stateproof/spec';
import { listOption } from '../args/option-values.js';
import { adapterOption, refusePositionals, targetSettings } from '../args/target-options.js';
import { UsageError } from '../args/usage-error.js';
import { EXIT } from '../io/exit-codes.js';
import { KITS } from '../targets/kits.js';
import { resolveTarget } from '../targets/resolve-target.js';
import type { Command } from './command.js';

/** How long connecting and probing may take before the backend counts as unreachable. */
const PROBE_TIMEOUT_MS = 15_000;

/** `stateproof probe`: what the live backend, as configured, can certify, with each setting read, the reason and the fix. */
export const probeCommand: Command = {
  name: 'probe',
  summary: 'Ask a live backend which durability classes its settings can certify, and what would fix the others.',
  usage:
    'stateproof probe --adapter <sqlite|postgres|redis|memory|module> [--url URL | --own-server] [--file PATH] [--class C,..] [--json]',
  details: [
    "Connects to the backend the way conform and certify do (the same --adapter, --url, --file), calls the adapter's",
    'probe(), closes it and removes the namespace it opened. It prints the settings the probe read, what each fault',
    '(process-kill, backend-kill, os-crash) loses with them, and per class: certifiable or not, why, and the change',
    'that would make it certifiable. A class is certifiable iff the backend survives every fault the class demands',
    '(spec/contract/README.md, "Faults each class must survive") and nothing else refuses it (a file on one host',
    'for shared-durable, an evicting cache). The runtime refuses a surface whose class the probe refuses',
    '(STATEPROOF_CLASS_NOT_CERTIFIED); this is where to look next.',
    '',
    'For SQLite the durability settings (synchronous, journal_mode) belong to the connection, not to the file:',
    '--adapter sqlite probes the adapter with its defaults; probe your own settings with a module target',
    '(--adapter ./my-target.js exporting sqliteTarget({ file, synchronous })).',
    '',
    'With --json the output is a probe result document (spec/schema/probe-result.schema.json), with the',
    'requested classes only.',
    '',
    'Exit status: 0 every requested class is certifiable; 1 one is not; 2 usage error, or the backend could not',
    'be reached.',
  ].join('\n'),
  options: [
    { name: 'adapter', kind: 'string', valueName: 'name|module', description: 'The adapter to probe with (required).' },
    {
      name: 'url',
      kind: 'string',
      valueName: 'url',
      description: `Server URL (default ${KITS.filter((k) => k.urlEnvironment)
        .map((k) => `$${k.urlEnvironment}`)
        .join(', ')}, else the kit's local default).`,
    },
    {
      name: 'own-server',
      kind: 'flag',
      description: 'Probe a server the harness starts for itself (Postgres, Redis; durable settings); not with --url.',
    },
    { name: 'file', kind: 'string', valueName: 'path', description: 'Database file for file adapters (SQLite).' },
    {
      name: 'class',
      kind: 'string',
      valueName: 'classes',
      repeatable: true,
      description: `Only these classes (${DURABILITY_CLASSES.join(', ')}); default all.`,
    },
    { name: 'json', kind: 'flag', description: 'Print the probe result as JSON on stdout.' },
  ],
  examples: [
    'stateproof probe --adapter postgres --url postgres://app@db.internal:5432/app',
    'stateproof probe --adapter redis --url redis://cache:6379 --class shared-durable',
    'stateproof probe --adapter sqlite --file ./var/state.db --json',
  ],
  async run(args, io) {
    refusePositionals(args, 'probe');
    const adapterName = adapterOption(args);
    const classes = listOption(args, 'class', DURABILITY_CLASSES) ?? [...DURABILITY_CLASSES];
    const settings = targetSettings(args, io, adapterName);
    const { target } = await resolveTarget(adapterName, settings, io.cwd);
    const where = settings.ownServer
      ? 'a server of its own'
      : settings.url !== undefined
        ? redact(settings.url)
        : settings.file !== undefined
          ? settings.file
          : KITS.some((k) => k.name === adapterName)
            ? `the kit's default${adapterName === 'sqlite' ? ': a temporary file' : adapterName === 'memory' ? ': this process' : ' URL'}`
            : `as ${adapterName} configures it`;
    const namespace = `sp_probe_${randomBytes(4).toString('hex')}`;
    let adapter: Adapter | undefined;
    let probe: ProbeResultDocument;
    let timedOut = false;
    try {
      probe = await withTimeout(
        (async () => {
          const opened = await target.create({ namespace, clock: { now: () => Date.now() } });
          // Opened after the timeout: nobody is waiting any more, so close it at once.
          if (timedOut) await opened.close();
          else adapter = opened;
          return opened.probe();
        })(),
        PROBE_TIMEOUT_MS,
      );
    } catch (error) {
      timedOut = true;
      const variable = KITS.find((k) => k.name === adapterName)?.urlEnvironment;
      throw new UsageError(
        `could not probe the ${target.name} backend at ${where}: ${firstLine(error)}`,
        [
          'Check that the server runs and accepts connections from here, and that the URL (host, port, user, password, database) is right',
          variable ? `: pass --url, or set $${variable}` : '',
          KITS.find((k) => k.name === adapterName)?.ownServer
            ? ', or use --own-server to probe a server of its own.'
            : '.',
        ].join(''),
      );
    } finally {
      await withTimeout(
        (async () => {
          // Nothing to close or dispose when the adapter never opened (a dispose would try the unreachable backend again).
          const opened = adapter as Adapter | undefined;
          if (opened === undefined) return;
          await opened.close();
          await target.dispose?.(namespace);
        })(),
        5_000,
      ).catch(() => undefined);
      await target.server?.stop?.();
    }
    const wanted = probe.classes.filter((c) => classes.includes(c.class));
    const missing = classes.filter((c) => !probe.classes.some((v) => v.class === c));
    const result: ProbeResultDocument = { ...probe, classes: wanted };
    if (args.flags.has('json')) io.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else io.stdout.write(probeText(result, where, missing));
    return wanted.every((c) => c.certified) && missing.length === 0 ? EXIT.ok : EXIT.failed;
  },
};

/** The human report: the backend, the settings read, what each fault loses, then per class the verdict, reasons and fixes. */
export function probeText(probe: ProbeResultDocument, where: string, missing: readonly DurabilityClass[] = []): string {
  const lines: string[] = [];
  lines.push(
    `${probe.adapter.name} adapter ${probe.adapter.version} on ${probe.backend.name}${probe.backend.version ? ` ${probe.backend.version}` : ''} (${where})`,
    '',
    'Settings read:',
  );
  const keys = Object.keys(probe.settings);
  const kw = Math.max(0, ...keys.map((k) => k.length));
  for (const k of keys) lines.push(`  ${k.padEnd(kw)}  ${String(probe.settings[k])}`);
  if (probe.faults) {
    lines.push('', 'What an acknowledged write does on each fault:');
    const fw = Math.max(...FAULTS.map((f) => f.length));
    for (const f of FAULTS) lines.push(`  ${f.padEnd(fw)}  ${probe.faults[f]}`);
  }
  lines.push('', 'Classes:');
  const cw = Math.max(...DURABILITY_CLASSES.map((c) => c.length));
  for (const c of probe.classes) {
    const demands = FAULTS.filter((f) => CLASS_FAULTS[c.class][f] !== 'none')
      .map((f) => `${f}: ${CLASS_FAULTS[c.class][f]}`)
      .join(', ');
    lines.push(
      `  ${c.class.padEnd(cw)}  ${c.certified ? 'certifiable' : 'NOT certifiable'}${
        c.certified ? '' : c.unmet && c.unmet.length > 0 ? ` (falls short on ${c.unmet.join(', ')})` : ''
      }`,
    );
    lines.push(`  ${''.padEnd(cw)}  demands: ${demands || 'nothing'}`);
    for (const r of c.reasons) lines.push(`  ${''.padEnd(cw)}  reason: ${r}`);
    for (const f of c.fixes ?? []) lines.push(`  ${''.padEnd(cw)}  fix:    ${f}`);
  }
  for (const m of missing) lines.push(`  ${m.padEnd(cw)}  NOT certifiable (the probe does not report it)`);
  const refused = probe.classes.filter((c) => !c.certified).map((c) => c.class);
  lines.push(
    '',
    refused.length + missing.length === 0
      ? 'Every requested class is certifiable.'
      : `Not certifiable: ${[...refused, ...missing].join(', ')}. Apply a fix above and probe again. Exit status 1.`,
    '',
  );
  return lines.join('\n');
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function firstLine(error: unknown): string {
  const e = error as { message?: unknown; code?: unknown; errors?: unknown[] } | undefined;
  let message = typeof e?.message === 'string' && e.message !== '' ? e.message : undefined;
  // AggregateError (connecting to ::1 and 127.0.0.1) has an empty message of its own.
  if (message === undefined && Array.isArray(e?.errors) && e.errors.length > 0) return firstLine(e.errors[0]);
  message ??= typeof e?.code === 'string' ? e.code : String(error);
  return message.split('\n')[0] ?? message;
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
