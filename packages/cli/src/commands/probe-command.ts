import {
  CLASS_FAULTS,
  DURABILITY_CLASSES,
  FAULTS,
  type DurabilityClass,
  type ProbeResultDocument,
} from '@stateproof/spec';
import { listOption } from '../args/option-values.js';
import { adapterOption, refusePositionals, targetSettings } from '../args/target-options.js';
import { EXIT } from '../io/exit-codes.js';
import { probeBackend } from '../probe/probe-backend.js';
import { KITS } from '../targets/kits.js';
import type { Command } from './command.js';

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
    const { probe, where } = await probeBackend(adapterName, settings, io.cwd);
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
