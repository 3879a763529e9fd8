import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brokenLinks } from '@stateproof/docs';
import { listRequirements } from '@stateproof/spec';
import { runCli } from './run-cli.js';

const root = resolve(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'stateproof-docs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const docs = (cwd: string, ...argv: string[]) => runCli(cwd, ['docs', ...argv]);

/** A copy of the repository's docs/ in a folder of its own, so a test may edit it. */
function docsCopy(): string {
  const dir = mkdtempSync(join(scratch, 'repo-'));
  cpSync(join(root, 'docs'), join(dir, 'docs'), { recursive: true });
  return dir;
}

const CERTIFICATES = readdirSync(join(root, 'docs/certificates'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => `docs/certificates/${f}`);

describe('stateproof docs (the committed documents)', () => {
  it('docs/reference, docs/certification.md and the example inventory page are what the verbs generate', async () => {
    expect((await docs(root, 'contract', '--check')).code).toBe(0);
    expect((await docs(root, 'matrix', ...CERTIFICATES, '--check')).code).toBe(0);
    expect(
      (
        await docs(
          root,
          'inventory',
          '--inventory',
          'docs/examples/inventory.yaml',
          '--out',
          'docs/examples',
          '--check',
        )
      ).code,
    ).toBe(0);
  });

  it('every requirement id has its anchor in docs/reference, and every relative link of the generated pages resolves', () => {
    const pages = readdirSync(join(root, 'docs/reference')).map((f) => join(root, 'docs/reference', f));
    const text = pages.map((p) => readFileSync(p, 'utf8')).join('\n');
    for (const r of listRequirements()) expect(text).toContain(`<a id="${r.id.toLowerCase()}"></a>`);
    const generated = [...pages, join(root, 'docs/certification.md'), join(root, 'docs/examples/inventory.md')];
    expect(brokenLinks(generated)).toEqual([]);
  });

  it('the README and the guides link only to files and anchors that exist', () => {
    const guides = readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => join(root, 'docs', f));
    expect(brokenLinks([join(root, 'README.md'), ...guides])).toEqual([]);
  });

  it('the matrix has a row per kind of every reference adapter certificate', () => {
    const matrix = readFileSync(join(root, 'docs/certification.md'), 'utf8');
    for (const file of CERTIFICATES) {
      const cert = JSON.parse(readFileSync(join(root, file), 'utf8')) as {
        adapter: { name: string };
        capabilities: { kinds: object };
      };
      for (const kind of Object.keys(cert.capabilities.kinds))
        expect(matrix).toContain(`| [${cert.adapter.name}](#adapter-${cert.adapter.name}) | ${kind} |`);
    }
  });
});

describe('stateproof docs', () => {
  it('--check finds an edited page and prints the command that regenerates it; a rerun writes it back', async () => {
    const dir = docsCopy();
    const page = join(dir, 'docs/reference/queue.md');
    writeFileSync(page, readFileSync(page, 'utf8').replace('### QUE-001', '### QUE-001 (edited)'));
    const stale = await docs(dir, 'contract', '--check');
    expect(stale.code).toBe(1);
    expect(stale.out).toContain('docs/reference/queue.md');
    expect(stale.out).toContain('Regenerate with: stateproof docs contract --out docs/reference');
    const json = await docs(dir, 'contract', '--check', '--json');
    expect(JSON.parse(json.out)).toMatchObject({
      ok: false,
      check: true,
      files: expect.arrayContaining([{ path: 'docs/reference/queue.md', status: 'stale' }]),
    });
    const write = await docs(dir, 'contract');
    expect(write.code).toBe(0);
    expect(write.out).toContain('wrote 1 files, 7 unchanged');
    expect(readFileSync(page, 'utf8')).toBe(readFileSync(join(root, 'docs/reference/queue.md'), 'utf8'));
  });

  it('writes an inventory page from an inventory, with the gaps and links into the contract reference', async () => {
    const dir = docsCopy();
    const r = await docs(
      dir,
      'inventory',
      '--inventory',
      'docs/examples/inventory.yaml',
      '--out',
      'out',
      '--name',
      'state.md',
    );
    expect(r.code).toBe(0);
    const page = readFileSync(join(dir, 'out/state.md'), 'utf8');
    expect(page).toContain('# State inventory: router');
    expect(page).toContain('| [router.responses](#surface-router-responses) | shared-durable | ephemeral | memory |');
    expect(page).toContain('[shared-durable](../docs/reference/index.md#shared-durable)');
    expect(brokenLinks([join(dir, 'out/state.md')])).toEqual([]);
  });

  it("writes an inventory page from a project's manifest, each surface with where it is defined", async () => {
    const dir = mkdtempSync(join(scratch, 'project-'));
    cpSync(join(root, 'tools/lint/test/fixtures/basic'), dir, { recursive: true });
    const none = await docs(dir, 'inventory');
    expect(none.code).toBe(2);
    expect(none.err).toContain('stateproof.manifest.json');
    expect((await runCli(dir, ['manifest', '--write', '--app', 'fixture'])).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'stateproof.manifest.json'), 'utf8')) as {
      surfaces: { id: string; location: { file: string; line: number } }[];
    };
    expect((await docs(dir, 'inventory')).code).toBe(0);
    const page = readFileSync(join(dir, 'docs/inventory.md'), 'utf8');
    expect(page).toContain('# State inventory: fixture');
    for (const s of manifest.surfaces) {
      expect(page).toContain(`\`${s.id}\``);
      expect(page).toContain(`${s.location.file}:${s.location.line}`);
    }
    expect(page).toContain('None: every surface');
  });

  it('shows a backend URL without its password', async () => {
    const dir = mkdtempSync(join(scratch, 'inv-'));
    writeFileSync(
      join(dir, 'state.yaml'),
      'surfaces:\n  - id: a.b\n    kind: record\n    durability: shared-durable\n    current: { backend: "postgres://app:hunter2@db/x" }\n',
    );
    expect((await docs(dir, 'inventory', '--inventory', 'state.yaml')).code).toBe(0);
    const page = readFileSync(join(dir, 'docs/inventory.md'), 'utf8');
    expect(page).not.toContain('hunter2');
    expect(page).toContain('postgres://app:***@db/x');
  });

  it('refuses an inventory it cannot read with the file, the line and what to do, exit 2', async () => {
    const dir = mkdtempSync(join(scratch, 'bad-'));
    writeFileSync(join(dir, 'state.yaml'), 'surfaces:\n  - id: a.b\n    kind: record\n    durability: forever\n');
    const r = await docs(dir, 'inventory', '--inventory', 'state.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/state\.yaml:4: .*durability/);
    expect(r.err).toContain('stateproof lint --inventory');
  });

  it('refuses a file that is not a certificate, exit 2, and writes nothing', async () => {
    const dir = mkdtempSync(join(scratch, 'cert-'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ certificateVersion: 2, adapter: { name: 'x' } }));
    const r = await docs(dir, 'matrix', 'c.json');
    expect(r.code).toBe(2);
    expect(r.err).toContain('c.json');
    expect(r.err).toContain('stateproof certify --out');
    expect(readdirSync(dir)).toEqual(['c.json']);
  });

  it('refuses two certificates of one adapter, and an --out it cannot write into, with exit 2', async () => {
    const twice = await docs(root, 'matrix', CERTIFICATES[0]!, CERTIFICATES[0]!, '--out', scratch);
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('two certificates of the same adapter');
    const dir = mkdtempSync(join(scratch, 'out-'));
    writeFileSync(join(dir, 'taken'), 'a file, not a folder');
    const r = await docs(root, 'contract', '--out', join(dir, 'taken'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot write into');
  });

  it('writes the same bytes whichever way the output folder is spelled', async () => {
    const dir = docsCopy();
    expect((await docs(dir, 'contract', '--out', './docs/reference/', '--check')).code).toBe(0);
  });

  it('has help, and usage errors that say what to do', async () => {
    const help = await docs(root, '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: stateproof docs <contract|inventory|matrix>');
    const none = await docs(root);
    expect(none.code).toBe(2);
    expect(none.err).toContain('stateproof docs contract|inventory|matrix');
    expect((await docs(root, 'manual')).err).toContain('unknown document "manual"');
    expect((await docs(root, 'matrix')).err).toContain('stateproof certify --adapter sqlite');
    expect((await docs(root, 'contract', '--inventory', 'x.yaml')).code).toBe(2);
    expect((await docs(root, 'inventory', '--inventory', 'a', '--manifest', 'b')).code).toBe(2);
  });
});
