import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  BREAKING_LEVELS,
  FORMATS,
  formatResult,
  formatText,
  inventoryProbeTargets,
  isBreakingLevel,
  isFormat,
  lint,
  type ProbedBackends,
} from '@stateproof/lint';
import { SURFACE_KINDS, type DurabilityClass, type SurfaceKind } from '@stateproof/spec';
import { UsageError } from '../args/usage-error.js';
import { redactUrl } from '@stateproof/core/adapter-kit';
import { probeBackend } from '../probe/probe-backend.js';
import { deploymentOf, PROJECT_OPTIONS, projectOf, writeCommand } from '../lint/project-args.js';
import type { Command } from './command.js';

/** `stateproof lint`: extract the state inventory and apply the contract rules. */
export const lintCommand: Command = {
  name: 'lint',
  summary: 'Check the state inventory: ids, runtime definitions, manifest drift, breaking changes.',
  usage:
    'stateproof lint [GLOB ...] [--project FILE | --inventory FILE] [--base REF|FILE] [--format text|json|sarif|github]',
  details: [
    'Reads ./tsconfig.json (or --project, or the files the globs match), finds every definition made with the',
    'kind functions of @stateproof/core (record, log, claim, queue, dataspace, channel), through named, renamed',
    'and namespace imports and re-exports, and applies the rules in docs/rules/. When the manifest exists, it is',
    'checked for drift and for a fingerprint that does not match its content. --inventory FILE lints a YAML or',
    'JSON inventory of a codebase in another language with every rule that needs no source code. Each surface',
    'needs only id, kind and durability (docs/examples/inventory.yaml shows every field and its default); a',
    'surface whose `current` backend is weaker than its declared durability is a durability-gap warning, and',
    'the gaps are listed as a table (`gaps` in --format json).',
    '',
    'With --base (a git ref such as origin/main, or a manifest file), breaking changes are reported: a durable',
    'surface removed or renamed, its kind changed or class downgraded (level identity); also its scope changed',
    'or its value schema no longer accepting stored values (data, the default); also schemas older replicas',
    'cannot read (strict).',
    '',
    'The deployment (for local-state-multi-replica) comes from the manifest or inventory `deployment` section,',
    'or from --replicas and --allow-local.',
    '',
    'Exit status: 0 clean; 1 violations (errors, or warnings with --fail-on warning); 2 usage error or unusable',
    'input (no tsconfig, a file that does not parse, an invalid manifest or inventory).',
  ].join('\n'),
  options: [
    ...PROJECT_OPTIONS,
    {
      name: 'inventory',
      kind: 'string',
      valueName: 'FILE',
      description: 'Lint an inventory file (YAML or JSON) instead of source code.',
    },
    {
      name: 'base',
      kind: 'string',
      valueName: 'REF|FILE',
      description: 'Report breaking changes against a git ref or a manifest/inventory file.',
    },
    {
      name: 'level',
      kind: 'string',
      valueName: BREAKING_LEVELS.join('|'),
      description: 'Breaking-change level (default data).',
    },
    { name: 'format', kind: 'string', valueName: FORMATS.join('|'), description: 'Output format (default text).' },
    {
      name: 'output',
      kind: 'string',
      valueName: 'FILE',
      description: 'Write the formatted output to FILE, and a text summary to stdout.',
    },
    {
      name: 'fail-on',
      kind: 'string',
      valueName: 'error|warning',
      description: 'Lowest severity that makes the exit status 1 (default error).',
    },
    {
      name: 'probe',
      kind: 'flag',
      description:
        'With --inventory: probe every Postgres or Redis URL a surface names as its current backend (as `stateproof probe` does) and take its current class from what the probe certifies.',
    },
  ],
  examples: [
    'stateproof lint',
    "stateproof lint 'src/**/*.ts' --base origin/main",
    'stateproof lint --format sarif --output stateproof.sarif',
    'stateproof lint --inventory state.yaml --replicas 3',
    'stateproof lint --inventory state.yaml --fail-on warning',
    'stateproof lint --inventory state.yaml --probe',
  ],
  async run(args, io) {
    const format = args.values.get('format')?.[0] ?? 'text';
    if (!isFormat(format))
      throw new UsageError(
        `--format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(format)}`,
        'Write --format sarif, for example.',
      );
    const level = args.values.get('level')?.[0] ?? 'data';
    if (!isBreakingLevel(level))
      throw new UsageError(
        `--level must be one of ${BREAKING_LEVELS.join(', ')}, got ${JSON.stringify(level)}`,
        'Write --level strict, for example.',
      );
    const failOn = args.values.get('fail-on')?.[0] ?? 'error';
    if (failOn !== 'error' && failOn !== 'warning')
      throw new UsageError(
        `--fail-on must be error or warning, got ${JSON.stringify(failOn)}`,
        'Write --fail-on warning.',
      );
    const inventory = args.values.get('inventory')?.[0];
    const project = projectOf(args);
    if (inventory !== undefined && (project.project !== undefined || project.globs !== undefined)) {
      throw new UsageError(
        '--inventory replaces source code; give no --project or globs with it',
        'Run `stateproof lint --inventory state.yaml` on its own.',
      );
    }
    if (args.flags.has('probe') && inventory === undefined)
      throw new UsageError(
        '--probe fills in the current class of an inventory',
        'Run `stateproof lint --inventory state.yaml --probe`.',
      );
    const probed = inventory !== undefined && args.flags.has('probe') ? await probeInventory(inventory, io) : undefined;
    const manifest = args.values.get('manifest')?.[0];
    const base = args.values.get('base')?.[0];
    const deployment = deploymentOf(args);
    const result = lint({
      cwd: io.cwd,
      ...project,
      ...(inventory === undefined ? {} : { inventory }),
      ...(manifest === undefined ? {} : { manifest }),
      ...(base === undefined ? {} : { base }),
      ...(deployment === undefined ? {} : { deployment }),
      level,
      failOn,
      fixCommand: writeCommand(args),
      ...(probed === undefined ? {} : { probed }),
    });
    const rendered = formatResult(result, format, io.cwd);
    const output = args.values.get('output')?.[0];
    if (output === undefined) io.stdout.write(rendered);
    else {
      try {
        writeFileSync(resolve(io.cwd, output), rendered);
      } catch (error) {
        throw new UsageError(
          `cannot write ${output}: ${(error as Error).message}`,
          'Check that the directory exists and is writable.',
        );
      }
      io.stdout.write(format === 'text' ? `wrote ${output}\n` : formatText(result));
    }
    return result.exitCode;
  },
};

/** The classes, strongest first, a backend may hold today for a surface (projections and telemetry are declared, never current). */
const CURRENT_CLASSES: readonly DurabilityClass[] = ['shared-durable', 'restart-safe-local', 'ephemeral'];

/**
 * Probes every Postgres or Redis URL the inventory names as a current backend, and takes, per kind,
 * the strongest class its probe certifies and its adapter hosts. Progress goes to stderr; an
 * unreachable backend is a usage error (exit 2) that says what to check.
 */
async function probeInventory(inventory: string, io: Parameters<Command['run']>[1]): Promise<ProbedBackends> {
  const out = new Map<string, Partial<Record<SurfaceKind, DurabilityClass>>>();
  for (const url of inventoryProbeTargets({ cwd: io.cwd, inventory })) {
    const adapter = /^postgres(ql)?:/i.test(url) ? 'postgres' : 'redis';
    io.stderr.write(`stateproof lint: probing ${redactUrl(url)}\n`);
    const { probe, capabilities } = await probeBackend(adapter, { url }, io.cwd);
    const certified = new Set(probe.classes.filter((c) => c.certified).map((c) => c.class));
    const byKind: Partial<Record<SurfaceKind, DurabilityClass>> = {};
    for (const kind of SURFACE_KINDS) {
      const support = capabilities.kinds[kind];
      if (!support) continue;
      // What the adapter hosts there and the probe certifies; else state that no durable class
      // covers is as good as ephemeral (a Redis without persistence loses it on a restart).
      byKind[kind] = CURRENT_CLASSES.find((c) => certified.has(c) && support.classes.includes(c)) ?? 'ephemeral';
    }
    io.stderr.write(
      `stateproof lint: ${redactUrl(url)} holds ${[...new Set(Object.values(byKind))].join(', ') || 'no class'}\n`,
    );
    out.set(url, byKind);
  }
  return out;
}
