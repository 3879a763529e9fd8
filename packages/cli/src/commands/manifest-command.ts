import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { diffSurfaces } from '@stateproof/core';
import {
  displayPath,
  extractProject,
  formatText,
  isInputProblem,
  loadProjectManifest,
  manifestDocument,
  manifestText,
  sortDiagnostics,
  type LintDiagnostic,
} from '@stateproof/lint';
import type { DeploymentConfig } from '@stateproof/spec';
import { UsageError } from '../args/usage-error.js';
import { EXIT } from '../io/exit-codes.js';
import type { CliIo } from '../io/cli-io.js';
import { deploymentOf, PROJECT_OPTIONS, projectOf, writeCommand } from '../lint/project-args.js';
import type { Command } from './command.js';

function printDiagnostics(io: CliIo, diagnostics: LintDiagnostic[]): void {
  io.stderr.write(
    formatText({
      diagnostics: sortDiagnostics(diagnostics),
      surfaces: [],
      gaps: [],
      fingerprint: undefined,
      files: 0,
      exitCode: 2,
    }).replace(/\n[^\n]*\n$/, '\n'),
  );
}

/** `stateproof manifest`: print, write or check the checked-in manifest of a project. */
export const manifestCommand: Command = {
  name: 'manifest',
  summary: 'Print, write (--write) or check (--check) the state manifest extracted from the code.',
  usage:
    'stateproof manifest [GLOB ...] [--project FILE] [--manifest FILE] [--write | --check] [--app NAME] [--replicas N]',
  details: [
    'Extracts every surface defined at module top level (see `stateproof lint`) into the manifest: surfaces sorted',
    'by id, each normalised as @stateproof/core normalises it, with the fingerprint of their semantic part, so',
    'openRuntime({ manifest }) computes the same fingerprint. Without --write or --check it prints the manifest.',
    '',
    '--write writes it (default stateproof.manifest.json beside the tsconfig), keeping the app and deployment',
    'sections of the existing manifest unless --app, --replicas or --allow-local say otherwise.',
    '--check fails on any difference between the file and what --write would write, and prints the command that',
    'fixes it.',
    '',
    'Definitions that cannot be read statically (computed ids or options) are left out and listed on stderr;',
    '`stateproof lint` reports them as errors.',
    '',
    'Exit status: 0 written, printed or up to date; 1 --check found a difference; 2 usage error or unusable input.',
  ].join('\n'),
  options: [
    ...PROJECT_OPTIONS,
    { name: 'write', kind: 'flag', description: 'Write the manifest file.' },
    {
      name: 'check',
      kind: 'flag',
      description: 'Exit 1 when the manifest file differs from the code, printing the command that fixes it.',
    },
    { name: 'app', kind: 'string', valueName: 'NAME', description: 'The app name the manifest records.' },
  ],
  examples: [
    'stateproof manifest --write',
    'stateproof manifest --check',
    'stateproof manifest --project tsconfig.app.json --write --replicas 3',
  ],
  async run(args, io) {
    const write = args.flags.has('write');
    const check = args.flags.has('check');
    if (write && check)
      throw new UsageError(
        'give --write or --check, not both',
        'Write the manifest with --write; verify it in CI with --check.',
      );
    const project = projectOf(args);
    const override = deploymentOf(args);
    const extracted = extractProject({ cwd: io.cwd, ...project });
    const unusable = extracted.diagnostics.filter(isInputProblem);
    if (unusable.length > 0) {
      printDiagnostics(io, unusable);
      io.stderr.write('The inventory cannot be extracted; fix the input above.\n');
      return EXIT.usage;
    }
    const manifestArg = args.values.get('manifest')?.[0];
    const existing = loadProjectManifest(
      { cwd: io.cwd, ...(manifestArg === undefined ? {} : { manifest: manifestArg }) },
      extracted.root,
    );
    const shown = displayPath(existing.path, io.cwd);
    const fix = writeCommand(args);
    const current = existing.loaded?.document;
    if (check && existing.diagnostics.some((d) => d.rule !== 'project-error' || existsSync(existing.path))) {
      printDiagnostics(io, existing.diagnostics);
      io.stderr.write(`Run \`${fix}\` to regenerate it.\n`);
      return EXIT.usage;
    }

    const app = args.values.get('app')?.[0] ?? current?.app;
    let deployment: DeploymentConfig | undefined = current?.deployment;
    if (override) {
      const allow = override.allowLocalState ?? deployment?.allowLocalState;
      deployment = {
        replicas: override.replicas ?? deployment?.replicas ?? 1,
        ...(allow ? { allowLocalState: [...allow] } : {}),
      };
    }
    const manifest = manifestDocument(extracted.surfaces, {
      ...(app === undefined ? {} : { app }),
      ...(deployment === undefined ? {} : { deployment }),
    });
    const text = manifestText(manifest);

    const left = extracted.sites.filter((s) => !s.context && s.entry === undefined).length;
    if (left > 0)
      io.stderr.write(
        `${left} definition${left === 1 ? ' is' : 's are'} not in the manifest because ${left === 1 ? 'it' : 'they'} cannot be read statically; run \`stateproof lint\` to see why.\n`,
      );

    if (!write && !check) {
      io.stdout.write(text);
      return EXIT.ok;
    }
    const before = existsSync(existing.path) ? readFileSync(existing.path, 'utf8') : undefined;
    if (write) {
      if (before === text) {
        io.stdout.write(`${shown} is up to date (${manifest.surfaces.length} surfaces, ${manifest.fingerprint}).\n`);
        return EXIT.ok;
      }
      try {
        writeFileSync(existing.path, text);
      } catch (error) {
        throw new UsageError(
          `cannot write ${shown}: ${(error as Error).message}`,
          'Check that the directory exists and is writable.',
        );
      }
      io.stdout.write(`wrote ${shown} (${manifest.surfaces.length} surfaces, ${manifest.fingerprint}).\n`);
      return EXIT.ok;
    }
    if (before === undefined) {
      io.stderr.write(`${shown} does not exist.\nRun \`${fix}\` and commit it.\n`);
      return EXIT.failed;
    }
    if (before === text) {
      io.stdout.write(`${shown} is up to date (${manifest.surfaces.length} surfaces, ${manifest.fingerprint}).\n`);
      return EXIT.ok;
    }
    const lines = [`${shown} is out of date:`];
    const diff = current ? diffSurfaces(current.surfaces, manifest.surfaces) : undefined;
    if (diff) {
      for (const id of diff.added) lines.push(`  added:   ${id}`);
      for (const id of diff.removed) lines.push(`  removed: ${id}`);
      for (const id of diff.changed) lines.push(`  changed: ${id}`);
      if (current && current.fingerprint !== manifest.fingerprint)
        lines.push(`  fingerprint: ${current.fingerprint} -> ${manifest.fingerprint}`);
      if (diff.added.length + diff.removed.length + diff.changed.length === 0)
        lines.push('  descriptions, owners, recovery notes, locations or formatting differ (the fingerprint does not)');
    }
    lines.push(`Run \`${fix}\` and commit the result.`);
    io.stderr.write(`${lines.join('\n')}\n`);
    return EXIT.failed;
  },
};
