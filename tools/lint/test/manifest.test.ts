import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifest } from '@stateproof/core';
import { describe, expect, it } from 'vitest';
import { extractProject, lint, manifestDocument, manifestText, MANIFEST_FILE } from '../src/index.js';
import { fixture, line } from './helpers.js';

/** A copy of the basic fixture with its manifest written, in a temp dir. */
function project(): { dir: string; manifest: string } {
  const dir = mkdtempSync(join(tmpdir(), 'stateproof-lint-'));
  cpSync(fixture('basic'), dir, { recursive: true });
  const text = manifestText(manifestDocument(extractProject({ cwd: dir }).surfaces, { app: 'shop' }));
  writeFileSync(join(dir, MANIFEST_FILE), text);
  return { dir, manifest: text };
}

function edit(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  writeFileSync(path, text.replace(from, to));
}

describe('the manifest', () => {
  it('is sorted, valid, and carries the fingerprint the runtime verifies', () => {
    const { manifest } = project();
    const doc = readManifest(manifest);
    expect(doc.surfaces.map((s) => s.id)).toEqual([...doc.surfaces.map((s) => s.id)].sort());
    expect(doc.app).toBe('shop');
    expect(
      manifest.startsWith(
        '{\n  "$schema": "https://stateproof.dev/schema/manifest.v1.schema.json",\n  "manifestVersion": 1,\n  "fingerprint": "sha256:',
      ),
    ).toBe(true);
    expect(manifest.endsWith('}\n')).toBe(true);
  });

  it('lints clean when it matches the code', () => {
    const { dir } = project();
    const result = lint({ cwd: dir });
    expect(result.diagnostics).toEqual([]);
    expect(result.fingerprint).toBe(JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')).fingerprint);
  });

  it('reports added, removed and changed surfaces as manifest-drift with the command that fixes it', () => {
    const { dir } = project();
    edit(dir, 'src/state/jobs.ts', "'effects.charge-card'", "'effects.refund'");
    edit(dir, 'src/state/jobs.ts', 'leaseMs: 60_000', 'leaseMs: 90_000');
    const result = lint({ cwd: dir, fixCommand: 'stateproof manifest --write' });
    expect(result.diagnostics.map(line)).toEqual([
      'src/state/jobs.ts:7:21 manifest-drift surface "jobs.default" differs from stateproof.manifest.json in options',
      'src/state/jobs.ts:15:24 manifest-drift surface "effects.refund" is defined but not in stateproof.manifest.json',
      'stateproof.manifest.json:7:5 manifest-drift surface "effects.charge-card" is in stateproof.manifest.json but no longer defined',
    ]);
    expect(result.diagnostics.every((d) => d.fix === 'stateproof manifest --write' && d.severity === 'error')).toBe(
      true,
    );
    expect(result.exitCode).toBe(1);
  });

  it('warns once when only prose or locations differ', () => {
    const { dir } = project();
    edit(dir, 'src/state/orders.ts', "owner: 'team-checkout'", "owner: 'team-payments'");
    const result = lint({ cwd: dir });
    expect(result.diagnostics.map((d) => `${d.severity} ${line(d)}`)).toEqual([
      'warning stateproof.manifest.json:1:- manifest-drift stateproof.manifest.json is out of date: descriptions, owners, recovery notes, locations or formatting differ (the fingerprint does not)',
    ]);
    expect(result.exitCode).toBe(0);
    expect(lint({ cwd: dir, failOn: 'warning' }).exitCode).toBe(1);
  });

  it('reports a fingerprint that does not match the manifest content', () => {
    const { dir, manifest } = project();
    const doc = JSON.parse(manifest);
    writeFileSync(join(dir, MANIFEST_FILE), manifestText({ ...doc, fingerprint: `sha256:${'1'.repeat(64)}` }));
    const result = lint({ cwd: dir });
    expect(result.diagnostics.map(line)).toEqual([
      `stateproof.manifest.json:4:3 fingerprint-mismatch stateproof.manifest.json records fingerprint sha256:${'1'.repeat(64)}, but its surfaces hash to ${doc.fingerprint}`,
    ]);
  });

  it('rejects an unparsable or invalid manifest with exit code 2 and positions', () => {
    const { dir, manifest } = project();
    writeFileSync(join(dir, MANIFEST_FILE), manifest.replace('"manifestVersion": 1,', '"manifestVersion": 1,,'));
    const broken = lint({ cwd: dir });
    expect(broken.diagnostics.map(line)).toEqual([
      'stateproof.manifest.json:3:24 parse-error manifest cannot be parsed: expected a string member name',
    ]);
    expect(broken.exitCode).toBe(2);
    writeFileSync(join(dir, MANIFEST_FILE), manifest.replace('"manifestVersion": 1,', '"manifestVersion": 2,'));
    const invalid = lint({ cwd: dir });
    expect(invalid.diagnostics.map(line)).toEqual([
      'stateproof.manifest.json:3:3 invalid-document manifest /manifestVersion must be equal to constant',
    ]);
    expect(invalid.exitCode).toBe(2);
  });

  it('reports a named manifest that does not exist, and skips drift when the default one does not', () => {
    const dir = fixture('basic');
    expect(lint({ cwd: dir, manifest: 'nope.json' }).diagnostics.map(line)).toEqual([
      'nope.json:-:- project-error cannot read manifest nope.json: no such file',
    ]);
    expect(lint({ cwd: dir }).diagnostics).toEqual([]);
  });
});

describe('project errors', () => {
  it('reports a missing tsconfig with exit code 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stateproof-lint-'));
    const result = lint({ cwd: dir });
    expect(result.diagnostics.map(line)).toEqual([
      'tsconfig.json:-:- project-error cannot read tsconfig.json: no such file; pass --project FILE or a list of globs',
    ]);
    expect(result.exitCode).toBe(2);
  });

  it('reports a tsconfig that does not parse, at its position', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stateproof-lint-'));
    writeFileSync(join(dir, 'tsconfig.json'), '{\n  "include": ["src"\n}\n');
    const result = lint({ cwd: dir });
    expect(result.diagnostics.map(line)).toEqual(["tsconfig.json:3:1 project-error ',' expected."]);
    expect(result.exitCode).toBe(2);
  });

  it('reports globs that match nothing, and reads the files globs match', () => {
    const dir = fixture('basic');
    expect(lint({ cwd: dir, globs: ['lib/**/*.ts'] }).diagnostics.map(line)).toEqual([
      '-:-:- project-error no source files match "lib/**/*.ts" in .',
    ]);
    const some = lint({ cwd: dir, globs: ['src/state/*.ts', 'src/kit/**/*.ts', 'src/ids.ts', 'src/schemas.ts'] });
    expect(some.files).toBe(6);
    expect(some.surfaces).toHaveLength(8);
  });

  it('reports a syntax error in a source file with exit code 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stateproof-lint-'));
    cpSync(fixture('basic'), dir, { recursive: true });
    writeFileSync(join(dir, 'src/broken.ts'), 'export const x = {\n');
    const result = lint({ cwd: dir });
    expect(result.diagnostics.map(line)).toEqual(["src/broken.ts:2:1 parse-error '}' expected."]);
    expect(result.exitCode).toBe(2);
  });
});

describe('tsconfig paths', () => {
  it('follows imports through paths aliases, exact and with a wildcard', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stateproof-lint-'));
    mkdirSync(join(dir, 'lib'));
    mkdirSync(join(dir, 'app'));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { paths: { '@state/*': ['./lib/*'], '@ids': ['./lib/ids.ts'] } },
        include: ['lib', 'app'],
      }),
    );
    writeFileSync(join(dir, 'lib/ids.ts'), "export const ORDERS = 'orders.aliased';\n");
    writeFileSync(join(dir, 'lib/kit.ts'), "export { record as rec } from '@stateproof/core';\n");
    writeFileSync(
      join(dir, 'app/state.ts'),
      "import { rec } from '@state/kit.js';\nimport { ORDERS } from '@ids';\nimport { IDS } from '@ids-extra';\nexport const orders = rec(ORDERS, { durability: 'shared-durable', value: {} });\nexport const other = rec(IDS.x, { durability: 'shared-durable', value: {} });\n",
    );
    const result = lint({ cwd: dir });
    expect(result.diagnostics.map(line)).toEqual([
      'app/state.ts:5:26 dynamic-id the id of this record is not static: IDS is imported from @ids-extra, outside the analysed files; use a string literal or a literal-valued const',
    ]);
    expect(result.surfaces.map((s) => s.id)).toEqual(['orders.aliased']);
  });
});
