import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { certificationMatrix, contractReference, inventoryPage } from '@stateproof/docs';
import { listRequirements } from '@stateproof/spec';
import type { LintDiagnostic } from '@stateproof/lint';
import { stringOption } from '../args/option-values.js';
import type { ParsedArgs } from '../args/parse-args.js';
import { UsageError } from '../args/usage-error.js';
import { loadCertificates } from '../docs/load-certificates.js';
import { loadInventoryInput } from '../docs/load-inventory-input.js';
import { writeDocs } from '../docs/write-docs.js';
import type { CliIo } from '../io/cli-io.js';
import { EXIT } from '../io/exit-codes.js';
import { suiteRequirementIndex } from '../targets/suite-requirement-index.js';
import type { Command } from './command.js';

const DOCS = ['contract', 'inventory', 'matrix'] as const;
type DocsVerb = (typeof DOCS)[number];

const DEFAULT_OUT: Record<DocsVerb, string> = { contract: 'docs/reference', inventory: 'docs', matrix: 'docs' };
const DEFAULT_REFERENCE = 'docs/reference';

/** `stateproof docs`: the contract reference, an inventory page and the certification matrix, as Markdown. */
export const docsCommand: Command = {
  name: 'docs',
  summary: 'Write the contract reference, an inventory page or the certification matrix as Markdown (--check for CI).',
  usage:
    'stateproof docs <contract|inventory|matrix> [--inventory FILE | --manifest FILE] [CERT.json ...] [--out DIR] [--check] [--json]',
  details: [
    'stateproof docs contract   the contract from spec/: index.md (classes, guarantee vectors, the faults each must',
    '                           survive, checks, kinds), one page per kind and classes.md, every requirement with a',
    '                           stable anchor (its id in lower case: record.md#rec-001), its text, the properties',
    '                           that check it and the mutants that break it. Default --out docs/reference.',
    "stateproof docs inventory  a page of a project's state, grouped by class: each surface with its kind, owner,",
    '                           bounds, recovery note, source, where it is defined and what it runs on today; the',
    '                           durability gaps; a Mermaid diagram per class (owners -> surfaces -> backends,',
    "                           projections -> sources), split to stay within Mermaid's limits on GitHub. From",
    '                           --inventory FILE or --manifest FILE (default ./stateproof.manifest.json).',
    '                           Writes inventory.md (or --name) into --out (default docs).',
    'stateproof docs matrix     the certification matrix of the certificates given: adapter x kind x class, each',
    '                           cell certified, partial, fail, not run or not claimed, linked to its evidence (seed,',
    '                           date, backend and settings, probe, crash and backend-kill runs, failed requirements',
    '                           with replay commands). Writes certification.md (or --name) into --out (default docs).',
    '',
    'Output is deterministic: the same input gives the same bytes, and a file already right is not rewritten. Links',
    'to requirements point into the contract reference when --reference DIR (default docs/reference) holds one.',
    'With --check nothing is written: every file that is missing or differs is listed with the command that',
    'regenerates it.',
    '',
    'Exit status: 0 written, or up to date under --check; 1 out of date under --check; 2 usage error or an input',
    'that cannot be read (each problem with its file, line and what to fix).',
  ].join('\n'),
  options: [
    { name: 'out', kind: 'string', valueName: 'dir', description: 'Folder to write into (see above for defaults).' },
    { name: 'check', kind: 'flag', description: 'Write nothing; exit 1 when a generated file is missing or differs.' },
    { name: 'json', kind: 'flag', description: 'Print what was written or found stale as JSON on stdout.' },
    {
      name: 'inventory',
      kind: 'string',
      valueName: 'file',
      description: 'inventory: an inventory file (YAML or JSON).',
    },
    {
      name: 'manifest',
      kind: 'string',
      valueName: 'file',
      description: 'inventory: a manifest instead of an inventory.',
    },
    { name: 'name', kind: 'string', valueName: 'file.md', description: "inventory, matrix: the page's file name." },
    {
      name: 'reference',
      kind: 'string',
      valueName: 'dir',
      description: `Where the contract reference is, for links (default ${DEFAULT_REFERENCE}, when it exists).`,
    },
  ],
  examples: [
    'stateproof docs contract --out docs/reference',
    'stateproof docs contract --check',
    'stateproof docs inventory --inventory state.yaml --out docs',
    'stateproof docs matrix .stateproof/sqlite-certificate.json .stateproof/postgres-certificate.json --out docs',
  ],
  async run(args, io) {
    const [verb, ...rest] = args.positionals;
    if (verb === undefined || !(DOCS as readonly string[]).includes(verb))
      throw new UsageError(
        verb === undefined ? 'say which document to write' : `unknown document "${verb}"`,
        `Run \`stateproof docs ${DOCS.join('|')}\`, e.g. \`stateproof docs contract\`.`,
      );
    const docsVerb = verb as DocsVerb;
    if (docsVerb !== 'matrix' && rest.length > 0)
      throw new UsageError(
        `stateproof docs ${docsVerb} takes no file arguments, got ${rest.join(' ')}`,
        docsVerb === 'inventory'
          ? 'Give the file with --inventory FILE or --manifest FILE.'
          : 'Run `stateproof docs contract`.',
      );
    for (const option of ['inventory', 'manifest'] as const)
      if (docsVerb !== 'inventory' && args.values.has(option))
        throw new UsageError(
          `--${option} belongs to stateproof docs inventory`,
          'Run `stateproof docs inventory --inventory FILE`.',
        );
    if (docsVerb === 'contract' && args.values.has('name'))
      throw new UsageError(
        '--name belongs to docs inventory and docs matrix',
        'The contract is a folder: use --out DIR.',
      );
    // As written in the banner and compared under --check: forward slashes, no trailing slash.
    const outDir = normalisePath(stringOption(args, 'out') ?? DEFAULT_OUT[docsVerb]);
    const command = commandLine(docsVerb, args, rest, outDir);
    const options = {
      outDir,
      check: args.flags.has('check'),
      json: args.flags.has('json'),
      command,
      what: `docs ${docsVerb}`,
    };
    const contractLink = referenceLink(args, io, outDir);
    const name = stringOption(args, 'name');
    if (name !== undefined && !/^[^/\\]+\.md$/.test(name))
      throw new UsageError(`--name must be a file name ending in .md, got "${name}"`, 'Write --name inventory.md.');

    if (docsVerb === 'contract') {
      const files = contractReference({
        requirements: listRequirements(),
        coverage: suiteRequirementIndex().requirements,
        command,
      });
      return writeDocs(files, options, io);
    }
    if (docsVerb === 'inventory') {
      const inventory = stringOption(args, 'inventory');
      const manifest = stringOption(args, 'manifest');
      if (inventory !== undefined && manifest !== undefined)
        throw new UsageError(
          'give --inventory or --manifest, not both',
          'An inventory file already says everything a manifest does.',
        );
      const { input, problems } = loadInventoryInput(
        inventory !== undefined ? { inventory } : { manifest: manifest ?? 'stateproof.manifest.json' },
        io.cwd,
      );
      if (input === undefined)
        return unreadable(
          problems,
          io,
          'Fix the inventory, then run the command again; `stateproof lint --inventory FILE` explains each problem.',
        );
      const page = inventoryPage({
        ...input,
        command,
        ...(contractLink === undefined ? {} : { contractLink: `${contractLink}/index.md` }),
        ...(name === undefined ? {} : { fileName: name }),
      });
      return writeDocs([page], options, io);
    }
    if (rest.length === 0)
      throw new UsageError(
        'give the certificates to render',
        'Run `stateproof certify --adapter sqlite --out cert.json`, then `stateproof docs matrix cert.json`.',
      );
    const { sources, problems } = loadCertificates(rest, io.cwd, outDir);
    const names = sources.map((x) => x.certificate.adapter.name);
    const twice = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
    if (twice.length > 0)
      throw new UsageError(
        `two certificates of the same adapter: ${twice.join(', ')}`,
        'Give one certificate per adapter (the newest): the matrix has one row per adapter and kind.',
      );
    if (problems.length > 0)
      return unreadable(
        problems,
        io,
        'Each certificate must be one `stateproof certify --out` wrote (spec/schema/certificate.schema.json).',
      );
    const page = certificationMatrix({
      certificates: sources,
      command,
      ...(contractLink === undefined ? {} : { contractLink }),
      ...(name === undefined ? {} : { fileName: name }),
    });
    return writeDocs([page], options, io);
  },
};

/** The command that regenerates the output, as the banner of each page and a stale check print it. */
function commandLine(verb: DocsVerb, args: ParsedArgs, files: readonly string[], outDir: string): string {
  const parts = ['stateproof docs', verb];
  for (const option of ['inventory', 'manifest', 'reference', 'name'])
    for (const value of args.values.get(option) ?? []) parts.push(`--${option} ${shellWord(normalisePath(value))}`);
  parts.push(...files.map((f) => shellWord(normalisePath(f))), `--out ${shellWord(outDir)}`);
  return parts.join(' ');
}

/** A path as the banner shows it: forward slashes, no `./` in front, no trailing slash. */
function normalisePath(path: string): string {
  const p = path
    .split('\\')
    .join('/')
    .replace(/^(\.\/)+/, '');
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** A word a shell reads back as it is: quoted when it holds anything beyond the safe characters. */
function shellWord(word: string): string {
  return /^[\w./:@=,+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The contract reference's folder relative to `outDir`, when there is one to link to. */
function referenceLink(args: ParsedArgs, io: CliIo, outDir: string): string | undefined {
  const given = stringOption(args, 'reference');
  const dir = resolve(io.cwd, given ?? DEFAULT_REFERENCE);
  if (!existsSync(join(dir, 'index.md'))) {
    if (given !== undefined)
      throw new UsageError(
        `--reference ${given} holds no contract reference (no index.md)`,
        `Run \`stateproof docs contract --out ${given}\` first.`,
      );
    return undefined;
  }
  return relative(resolve(io.cwd, outDir), dir).split('\\').join('/') || '.';
}

function unreadable(problems: readonly LintDiagnostic[], io: CliIo, next: string): number {
  for (const p of problems)
    io.stderr.write(
      `${p.file ?? ''}${p.line === undefined ? '' : `:${p.line}`}: ${p.message}${p.fix ? `\n  ${p.fix}` : ''}\n`,
    );
  io.stderr.write(`${next}\n`);
  return EXIT.usage;
}
