import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDocument, LintReportSchema } from '@stateproof/spec';
import { main, type CliIo } from 'stateproof';

const fixtures = resolve(import.meta.dirname, '../../../tools/lint/test/fixtures');

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

async function run(cwd: string, ...argv: string[]) {
  const h = io(cwd);
  const code = await main(['lint', ...argv], h.io);
  return { code, out: h.out(), err: h.err() };
}

describe('stateproof lint', () => {
  it('has help that names the formats, the base and the exit codes', async () => {
    const r = await run(fixtures, '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: stateproof lint');
    expect(r.out).toContain('--format <text|json|sarif|github>');
    expect(r.out).toContain('--base <REF|FILE>');
    expect(r.out).toContain('Exit status: 0 clean; 1 violations');
  });

  it('exits 0 on a clean project and says so', async () => {
    const r = await run(join(fixtures, 'basic'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^No problems\. 8 surfaces in 6 files, fingerprint sha256:[0-9a-f]{64}\.\n$/);
  });

  it('exits 1 on violations and prints them grouped by file', async () => {
    const r = await run(join(fixtures, 'violations'), '--replicas', '3');
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'src/runtime.ts\n  5:10     error   shared-durable record "cache.per-call" is defined inside function makeCache; only ephemeral surfaces may be defined at run time  runtime-definition\n',
    );
    expect(r.out).toContain('local-state-multi-replica');
    expect(r.out.trimEnd().split('\n').at(-1)).toMatch(
      /^25 problems \(24 errors, 1 warning, 0 notes\)\. 14 surfaces in 6 files/,
    );
  });

  it('writes a JSON report valid against its schema', async () => {
    const r = await run(join(fixtures, 'violations'), '--format', 'json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(checkDocument(LintReportSchema, report)).toEqual([]);
    expect(report.summary).toEqual({ errors: 23, warnings: 1, notes: 0, files: 6, surfaces: 14 });
  });

  it('writes SARIF to --output and a text summary to stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stateproof-cli-lint-'));
    cpSync(join(fixtures, 'violations'), dir, { recursive: true });
    const r = await run(dir, '--format', 'sarif', '--output', 'lint.sarif');
    expect(r.code).toBe(1);
    expect(r.out).toContain('24 problems');
    const log = JSON.parse(readFileSync(join(dir, 'lint.sarif'), 'utf8'));
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results).toHaveLength(24);
  });

  it('writes GitHub annotations', async () => {
    const r = await run(join(fixtures, 'inventory'), '--inventory', 'state.yaml', '--format', 'github');
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[1]).toBe(
      '::error file=state.yaml,line=18,col=5,title=stateproof duplicate-id::surface id "invoices" is already declared at line 9%0Afix: Give each surface its own id.',
    );
  });

  it('exits 2 with the file and position when the input is unusable', async () => {
    const empty = await run(mkdtempSync(join(tmpdir(), 'stateproof-cli-lint-')));
    expect(empty.code).toBe(2);
    expect(empty.out).toBe(
      [
        'tsconfig.json',
        '  -        error   cannot read tsconfig.json: no such file; pass --project FILE or a list of globs  project-error',
        '',
        '1 problem (1 error, 0 warnings, 0 notes). 0 surfaces in 0 files.',
        '',
      ].join('\n'),
    );
    const invalid = await run(join(fixtures, 'inventory'), '--inventory', 'syntax-error.yaml');
    expect(invalid.code).toBe(2);
    expect(invalid.out).toContain(
      '  5:1      error   inventory cannot be parsed: Flow sequence in block collection must be sufficiently indented and end with a ]  parse-error',
    );
    expect(invalid.err).toBe('');
  });

  it.each([
    [['--format', 'xml'], '--format must be one of text, json, sarif, github, got "xml"'],
    [['--level', 'loose'], '--level must be one of strict, data, identity, got "loose"'],
    [['--fail-on', 'note'], '--fail-on must be error or warning, got "note"'],
    [['--replicas', '0'], '--replicas must be a positive integer, got "0"'],
    [
      ['--inventory', 'state.yaml', '--project', 'tsconfig.json'],
      '--inventory replaces source code; give no --project or globs with it',
    ],
    [['--project', 'tsconfig.json', 'src/**/*.ts'], 'give either --project or globs, not both'],
    [['--colour'], 'unknown option --colour'],
  ])('exits 2 on %j', async (argv, message) => {
    const r = await run(join(fixtures, 'basic'), ...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('lints the four-line inventory of issue 15 clean', async () => {
    const r = await run(join(fixtures, 'inventory'), '--inventory', 'minimal.yaml');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^No problems\. 1 surface in 1 file, fingerprint sha256:[0-9a-f]{64}\.\n$/);
  });

  it('reports the durability gap of a memory backend under shared-durable: a warning, exit 1 with --fail-on warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stateproof-cli-gap-'));
    writeFileSync(
      join(dir, 'state.yaml'),
      [
        'surfaces:',
        '  - id: router.responses',
        '    kind: record',
        '    durability: shared-durable',
        '    current: { backend: memory }',
        '',
      ].join('\n'),
    );
    const text = await run(dir, '--inventory', 'state.yaml');
    expect(text.code).toBe(0);
    expect(text.out).toContain('durability-gap');
    expect(text.out).toContain('  router.responses | shared-durable | ephemeral (memory) | acknowledged writes, on');
    expect((await run(dir, '--inventory', 'state.yaml', '--fail-on', 'warning')).code).toBe(1);
    const json = await run(dir, '--inventory', 'state.yaml', '--format', 'json');
    const report = JSON.parse(json.out);
    expect(checkDocument(LintReportSchema, report)).toEqual([]);
    expect(report.gaps.map((g: { surfaceId: string }) => g.surfaceId)).toEqual(['router.responses']);
  });
});
