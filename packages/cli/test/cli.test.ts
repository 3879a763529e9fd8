import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '@stateproof/spec';
import { buildManifest, createRegistry, record, VIOLATIONS } from '@stateproof/core';
import { COMMANDS, commandHelp, KITS, main, type CliIo } from 'stateproof';

function io(cwd: string) {
  let out = '';
  let err = '';
  const value: CliIo = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    cwd,
    env: {},
  };
  return { io: value, out: () => out, err: () => err };
}

const repo = join(import.meta.dirname, '../../..');
const run = (file: string, args: string[], cwd: string) => promisify(execFile)(file, args, { cwd });
const dir = mkdtempSync(join(tmpdir(), 'stateproof-cli-'));
const manifest = buildManifest(
  [
    record('orders.by-id', {
      durability: 'shared-durable',
      value: Type.Object({ id: Type.String() }),
      registry: createRegistry(),
    }),
  ],
  { withoutLocations: true },
);
writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
writeFileSync(join(dir, 'stale.json'), JSON.stringify({ ...manifest, fingerprint: 'sha256:' + '0'.repeat(64) }));
writeFileSync(join(dir, 'dup.json'), '{\n  "a": 1,\n  "a": 2\n}');
writeFileSync(
  join(dir, 'invalid.json'),
  JSON.stringify({ manifestVersion: 1, fingerprint: manifest.fingerprint, surfaces: [{ id: 'x' }] }),
);
writeFileSync(join(dir, 'inventory.json'), JSON.stringify({ inventoryVersion: 1, surfaces: manifest.surfaces }));
writeFileSync(
  join(dir, 'inventory-v2.json'),
  JSON.stringify({
    surfaces: manifest.surfaces.map(({ class: durability, location: _l, ...rest }) => ({ ...rest, durability })),
  }),
);

describe('stateproof CLI', () => {
  it('prints help and the version', async () => {
    const h = io(dir);
    expect(await main(['--help'], h.io)).toBe(0);
    expect(h.out()).toContain('fingerprint');
    const v = io(dir);
    expect(await main(['--version'], v.io)).toBe(0);
    expect(v.out()).toMatch(/^stateproof \d+\.\d+\.\d+ \(spec \d+\.\d+\.\d+\)\n$/);
    const bare = io(dir);
    expect(await main([], bare.io)).toBe(2);
  });

  it('has --help on every verb', async () => {
    const h = io(dir);
    expect(await main(['fingerprint', '--help'], h.io)).toBe(0);
    expect(h.out()).toContain('Usage: stateproof fingerprint FILE');
    expect(h.out()).toContain('--raw');
  });

  it('prints the semantic fingerprint of a manifest and of an inventory', async () => {
    const m = io(dir);
    expect(await main(['fingerprint', 'manifest.json'], m.io)).toBe(0);
    expect(m.out()).toBe(manifest.fingerprint + '\n');
    const i = io(dir);
    expect(await main(['fingerprint', 'inventory.json', '--json'], i.io)).toBe(0);
    expect(JSON.parse(i.out())).toEqual({
      fingerprint: manifest.fingerprint,
      recorded: null,
      matches: null,
      surfaces: 1,
    });
    const v2 = io(dir);
    expect(await main(['fingerprint', 'inventory-v2.json'], v2.io)).toBe(0);
    expect(v2.out()).toBe(manifest.fingerprint + '\n');
    // The same inventory in YAML, as `stateproof lint --inventory` reads it.
    const surface = manifest.surfaces[0]!;
    writeFileSync(
      join(dir, 'inventory-v2.yaml'),
      `surfaces:\n  - id: ${surface.id}\n    kind: ${surface.kind}\n    durability: ${surface.class}\n    schemas: ${JSON.stringify(surface.schemas)}\n    bounds: ${JSON.stringify(surface.bounds)}\n    options: ${JSON.stringify(surface.options)}\n`,
    );
    const yaml = io(dir);
    expect(await main(['fingerprint', 'inventory-v2.yaml'], yaml.io)).toBe(0);
    expect(yaml.out()).toBe(manifest.fingerprint + '\n');
  });

  it('prints the raw RFC 8785 fingerprint of any document', async () => {
    const r = io(dir);
    expect(await main(['fingerprint', '--raw', 'manifest.json'], r.io)).toBe(0);
    expect(r.out()).toBe(fingerprintOf(JSON.parse(JSON.stringify(manifest))) + '\n');
    expect(r.out()).not.toBe(manifest.fingerprint + '\n');
  });

  it('exits 1 when the recorded fingerprint does not match the content, saying how to fix it', async () => {
    const s = io(dir);
    expect(await main(['fingerprint', 'stale.json'], s.io)).toBe(1);
    expect(s.out()).toBe(manifest.fingerprint + '\n');
    expect(s.err()).toContain('stateproof manifest --write');
  });

  it.each([
    [['fingerprint'], 'exactly one FILE'],
    [['fingerprint', 'a.json', 'b.json'], 'exactly one FILE'],
    [['fingerprint', '--rwa', 'manifest.json'], 'unknown option --rwa'],
    [['fingerprint', '--raw=yes', 'manifest.json'], '--raw takes no value'],
    [['fingerprint', 'missing.json'], 'no such file'],
    [['fingerprint', 'dup.json'], 'duplicate member name "a" at line 3, column 3'],
    [['fingerprint', 'invalid.json'], '/surfaces/0'],
    [['frobnicate'], 'unknown verb'],
  ])('exits 2 on %j with a message that says what is wrong', async (argv, message) => {
    const e = io(dir);
    expect(await main(argv, e.io)).toBe(2);
    expect(e.err()).toContain(message);
    expect(e.err()).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('is on the path as `stateproof` after install: npm links the committed bin/stateproof.js', async () => {
    const linked = join(repo, 'node_modules/.bin/stateproof');
    const { stdout } = await run(linked, ['--help'], repo);
    expect(stdout).toContain('Usage: stateproof <verb>');
    const pkg = JSON.parse(readFileSync(join(repo, 'packages/cli/package.json'), 'utf8')) as {
      bin: Record<string, string>;
      files: string[];
    };
    expect(pkg.bin).toEqual({ stateproof: './bin/stateproof.js' });
    expect(pkg.files).toContain('bin');
  });

  it('ships the bin and the build it starts in the package a registry user installs', async () => {
    const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json'], {
      cwd: join(repo, 'packages/cli'),
    });
    const files = (JSON.parse(stdout) as Array<{ files: Array<{ path: string; mode: number }> }>)[0]!.files;
    expect(files.find((f) => f.path === 'bin/stateproof.js')?.mode).toBe(0o755);
    expect(files.map((f) => f.path)).toContain('dist/bin.js');
  });

  it.each([
    [
      'missing-file-import.mjs',
      2,
      'its import "./lib/helpers.js" (in FIXTURES/missing-file-import.mjs) points at FIXTURES/lib/helpers.js, which does not exist',
    ],
    [
      'missing-package-import.mjs',
      2,
      'its import "stateproof-fixture-no-such-package" (in FIXTURES/missing-package-import.mjs) is not installed',
    ],
    ['not-a-target.mjs', 2, 'its export `target` has no `create` method'],
    ['create-throws.mjs', 1, 'the adapter failed: create() of the adapter "ledger" threw: cannot open the ledger file'],
  ])('in a real process, --adapter ./%s exits %i and says: %s', async (module, code, message) => {
    const fixtures = join(import.meta.dirname, 'fixtures');
    const failed = await run(
      join(repo, 'node_modules/.bin/stateproof'),
      ['conform', '--adapter', `./${module}`],
      fixtures,
    ).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code });
    expect((failed as { stderr: string }).stderr).toContain(message.replaceAll('FIXTURES', fixtures));
    expect((failed as { stderr: string }).stderr).not.toMatch(/internal error|please report/i);
  });

  it('advises only verbs, adapters and functions that exist', async () => {
    const verbs = new Set(COMMANDS.map((c) => c.name));
    const adapters = new Set(KITS.map((k) => k.name));
    const texts = [...Object.values(VIOLATIONS).map((v) => v.fix), ...COMMANDS.map((c) => commandHelp(c))];
    const top = io(dir);
    await main(['--help'], top.io);
    texts.push(top.out());
    for (const text of texts) {
      for (const m of text.matchAll(/`stateproof ([a-z-]+)/g)) expect(verbs, `${m[0]} in: ${text}`).toContain(m[1]);
      for (const m of text.matchAll(/stateproof [a-z-]+ [^\n`]*?--adapter ([a-z][a-z-]*)\b/g))
        expect(adapters, `${m[0]} in: ${text}`).toContain(m[1]);
    }
  });

  it('runs as a real process from the built bin', async () => {
    const bin = join(import.meta.dirname, '../dist/bin.js');
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'fingerprint', join(dir, 'manifest.json')]);
    expect(stdout).toBe(manifest.fingerprint + '\n');
    const failed = await promisify(execFile)(process.execPath, [bin, 'fingerprint', join(dir, 'nope.json')]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed).toMatchObject({ code: 2 });
  });
});
