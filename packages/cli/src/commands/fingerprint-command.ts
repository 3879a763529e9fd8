import {
  fingerprintOf,
  ManifestSchema,
  assertDocument,
  assertInventory,
  inventoryEntries,
  manifestFingerprint,
  parseStrictJson,
  type JsonValue,
  type InventoryDocument,
  type ManifestDocument,
} from '@stateproof/spec';
import { readDocumentSource } from '@stateproof/lint';
import { UsageError } from '../args/usage-error.js';
import { readInput } from '../io/read-input.js';
import { EXIT } from '../io/exit-codes.js';
import type { Command } from './command.js';

/** A YAML inventory as data, parsed as `stateproof lint --inventory` parses it; a syntax error is a usage error. */
function yamlDocument(text: string, file: string): JsonValue {
  const source = readDocumentSource(text, file);
  const first = source.errors[0];
  if (first || source.value === undefined)
    throw new UsageError(
      `${file} cannot be parsed: ${first?.message ?? 'no value'}${first ? ` at line ${first.line}, column ${first.column}` : ''}`,
      `Run \`stateproof lint --inventory ${file}\` to see every problem with its position.`,
    );
  return source.value;
}

/** `stateproof fingerprint FILE`: the semantic fingerprint of a manifest or inventory, or of a raw JSON document. */
export const fingerprintCommand: Command = {
  name: 'fingerprint',
  summary: "Print a manifest's semantic fingerprint (or, with --raw, any JSON document's).",
  usage: 'stateproof fingerprint FILE [--raw] [--json]',
  details: [
    'FILE is a manifest or an inventory file in JSON, or an inventory in YAML (.yaml, .yml; `-` reads stdin). The fingerprint is SHA-256 over the',
    'RFC 8785 canonical JSON of the semantic part of its surfaces: descriptions, recovery notes, owners and',
    'source locations are left out, so editing prose does not change it (spec/README.md states the algorithm).',
    'With --raw, FILE may be any JSON document and the whole document is fingerprinted.',
    '',
    'Exit status: 0 printed; 1 the file records a fingerprint that differs from its content; 2 the file',
    'cannot be read, is not strict JSON (duplicate keys, lone surrogates, out-of-range numbers) or is invalid.',
  ].join('\n'),
  options: [
    {
      name: 'raw',
      kind: 'flag',
      description: "Fingerprint the whole document's RFC 8785 form instead of the manifest's semantic part.",
    },
    {
      name: 'json',
      kind: 'flag',
      description: 'Print a JSON object {fingerprint, recorded, matches} instead of the bare fingerprint.',
    },
  ],
  examples: [
    'stateproof fingerprint stateproof.manifest.json',
    'stateproof fingerprint --raw package.json',
    'cat manifest.json | stateproof fingerprint - --json',
  ],
  async run(args, io) {
    if (args.positionals.length !== 1)
      throw new UsageError('fingerprint takes exactly one FILE', 'Run `stateproof fingerprint path/to/manifest.json`.');
    const file = args.positionals[0] as string;
    const text = await readInput(file, io.cwd);
    const doc = /\.ya?ml$/.test(file) && !args.flags.has('raw') ? yamlDocument(text, file) : parseStrictJson(text);
    const json = args.flags.has('json');
    if (args.flags.has('raw')) {
      const fingerprint = fingerprintOf(doc);
      io.stdout.write(json ? JSON.stringify({ fingerprint, mode: 'raw' }) + '\n' : fingerprint + '\n');
      return EXIT.ok;
    }
    // An inventory says inventoryVersion, or (version 2) may say nothing; a manifest always says manifestVersion.
    const isInventory =
      typeof doc === 'object' &&
      doc !== null &&
      !Array.isArray(doc) &&
      ('inventoryVersion' in doc || !('manifestVersion' in doc));
    if (isInventory) assertInventory(doc);
    else assertDocument(ManifestSchema, doc, 'manifest');
    const typed = doc as unknown as ManifestDocument | InventoryDocument;
    // An inventory's fingerprint is over its surfaces with their defaults filled in.
    const surfaces = isInventory
      ? inventoryEntries(typed as InventoryDocument).map((e) => e.entry)
      : (typed as ManifestDocument).surfaces;
    const fingerprint = manifestFingerprint(surfaces);
    const recorded = typed.fingerprint ?? null;
    const matches = recorded === null ? null : recorded === fingerprint;
    io.stdout.write(
      json ? JSON.stringify({ fingerprint, recorded, matches, surfaces: surfaces.length }) + '\n' : fingerprint + '\n',
    );
    if (matches === false) {
      io.stderr.write(
        `${file} records ${recorded}, but its surfaces hash to ${fingerprint}.\nRegenerate it with \`stateproof manifest --write\`, or restore the file.\n`,
      );
      return EXIT.failed;
    }
    return EXIT.ok;
  },
};
