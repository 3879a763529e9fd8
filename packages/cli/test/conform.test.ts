import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CertificateSchema, checkDocument } from '@stateproof/spec';
import { main, type CliIo } from 'stateproof';

const repo = join(import.meta.dirname, '../../..');
const fixtures = join(import.meta.dirname, 'fixtures');

function io(cwd = repo) {
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

describe('stateproof conform', () => {
  it('certifies the memory adapter, prints progress on stderr and writes a valid certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stateproof-conform-'));
    const h = io(dir);
    expect(
      await main(
        [
          'conform',
          '--adapter',
          'memory',
          '--kinds',
          'record,claim',
          '--seed',
          '7',
          '--runs',
          '10',
          '--json',
          '--out',
          'cert.json',
        ],
        h.io,
      ),
    ).toBe(0);
    const printed = JSON.parse(h.out()) as { verdict: string; run: { seed: number; kinds: string[] } };
    expect(printed).toEqual(JSON.parse(readFileSync(join(dir, 'cert.json'), 'utf8')));
    expect(checkDocument(CertificateSchema, printed)).toEqual([]);
    expect(printed.verdict).toBe('certified'); // ephemeral needs the model checks only, and all of them ran
    expect(printed.run).toMatchObject({ seed: 7, kinds: ['record', 'claim'] });
    expect(h.err()).toMatch(/checking memory: \d+ property runs, seed 7/);
    expect(h.err()).toMatch(/\] pass record\/model \[ephemeral\]/);
  });

  it('certifies the example third-party adapter module of docs/conformance.md for what it claims', async () => {
    const h = io();
    expect(await main(['conform', '--adapter', './examples/json-file-adapter/target.mjs', '--seed', '3'], h.io)).toBe(
      0,
    );
    // Nothing failed, but conform kills no process: restart-safe-local is partial, and says so.
    expect(h.out()).toContain('PARTIAL: json-file 1.0.0');
    expect(h.out()).toContain('class ephemeral: certified (record)');
    expect(h.out()).toMatch(
      /class restart-safe-local: partial\n  record: partial: process-crash missing \(no process was killed/,
    );
    expect(h.out()).toContain('requirements: 29 passed, 0 failed');
    expect(h.out()).toMatch(/REC-032: passed record\/reopen \[restart-safe-local\], but a crash is still owed/);
    expect(h.out()).not.toMatch(/^PASS/m);
  });

  it('fails a broken adapter with a replay command that reproduces the same counterexample', async () => {
    const h = io(fixtures);
    expect(await main(['conform', '--adapter', './mutant-target.mjs', '--kinds', 'record', '--seed', '11'], h.io)).toBe(
      1,
    );
    expect(h.out()).toMatch(/^FAIL: mutant:record-ignores-cas/);
    const command = /replay: stateproof (conform .+)$/m.exec(h.out())?.[1];
    const counterexample = /counterexample: (.+)$/m.exec(h.out())?.[1];
    expect(command).toContain('--adapter ./mutant-target.mjs');
    const again = io(fixtures);
    expect(await main(command!.split(' '), again.io)).toBe(1);
    expect(/counterexample: (.+)$/m.exec(again.out())?.[1]).toBe(counterexample);
    expect(again.err()).toMatch(/checking mutant:record-ignores-cas: 1 property runs/);
  });

  it.each([
    [['conform'], '--adapter is required'],
    [['conform', '--adapter', 'oracle'], 'unknown adapter "oracle"'],
    [
      ['conform', '--adapter', './missing.mjs'],
      `cannot load adapter module ./missing.mjs: there is no file ${join(fixtures, 'missing.mjs')}`,
    ],
    [
      ['conform', '--adapter', './no-export.mjs'],
      'exports no conformance target: it has neither an export `target` nor a default export',
    ],
    [['conform', '--adapter', './not-a-target.mjs'], 'its export `target` has no `create` method'],
    [
      ['conform', '--adapter', './missing-package-import.mjs'],
      `its import "stateproof-fixture-no-such-package" (in ${join(fixtures, 'missing-package-import.mjs')}) is not installed`,
    ],
    [
      ['conform', '--adapter', './missing-file-import.mjs'],
      `its import "./lib/helpers.js" (in ${join(fixtures, 'missing-file-import.mjs')}) points at ${join(fixtures, 'lib/helpers.js')}, which does not exist`,
    ],
    [['conform', '--adapter', 'memory', '--kinds', 'record,table'], '"table" is not one'],
    [['conform', '--adapter', 'memory', '--class', 'durable'], '--class takes ephemeral'],
    [['conform', '--adapter', 'memory', '--runs', '0'], '--runs must be an integer from 1'],
    [
      ['conform', '--adapter', 'memory', '--path', '1:2'],
      '--path replays one counterexample and needs --property and --seed',
    ],
    [['conform', '--adapter', 'memory', '--property', 'claim/modle'], 'Did you mean claim/model?'],
    [['conform', '--adapter', 'memory', '--kinds', 'recrod'], 'Did you mean --kinds record?'],
    [
      ['conform', '--adapter', 'memory', '--class', 'restart-safe-local'],
      'the adapter does not claim restart-safe-local for record, log, claim, queue, dataspace, channel\nValid: ephemeral, telemetry.',
    ],
    [['conform', '--adapter', 'memory', '--property', 'record/reopen'], 'the selection runs no property'],
    [['conform', '--adapter', 'memory', '--kinds', 'log', '--property', 'record/model'], 'is of no selected kind'],
    [['certify', '--adapter', 'memory', '--property', 'record/model'], 'unknown option --property'],
  ])('exits 2 on %j and says what to do', async (argv, message) => {
    const h = io(fixtures);
    expect(await main(argv, h.io)).toBe(2);
    expect(h.err()).toContain(message);
    expect(h.err()).not.toMatch(/\n\s+at /);
  });

  it.each([
    [
      ['conform', '--adapter', './create-throws.mjs'],
      'create() of the adapter "ledger" threw: cannot open the ledger file /nonexistent/ledger.db',
    ],
    [
      ['crash', '--adapter', './create-throws.mjs', '--kills', '1'],
      'create() of the adapter "ledger" threw: cannot open the ledger file /nonexistent/ledger.db',
    ],
    [
      ['conform', '--adapter', './factory-throws.mjs'],
      'the factory its default export of the adapter "./factory-throws.mjs" threw: makeTarget needs a DATABASE_URL',
    ],
  ])(
    'reports an error thrown by the adapter in %j as the adapter failing (exit 1, its stack), not as an internal error',
    async (argv, message) => {
      const h = io(fixtures);
      expect(await main(argv, h.io)).toBe(1);
      expect(h.err()).toContain(`stateproof ${argv[0]}: the adapter failed: ${message}`);
      expect(h.err()).toMatch(new RegExp(`\\n\\s+at .*${argv[2]!.slice(2).replace('.', '\\.')}`)); // the adapter's own stack frame
      expect(h.err()).toContain('thrown by the adapter under test');
      expect(h.err()).not.toMatch(/internal error|please report/i);
    },
  );

  it('writes no certificate for a selection that names nothing (a typo is no pass)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stateproof-conform-'));
    const h = io(dir);
    expect(
      await main(['conform', '--adapter', 'memory', '--property', 'claim/modle', '--out', 'cert.json'], h.io),
    ).toBe(2);
    expect(h.err()).toContain('STATEPROOF_NOTHING_SELECTED: unknown property "claim/modle"');
    expect(h.out()).toBe('');
    expect(existsSync(join(dir, 'cert.json'))).toBe(false);
  });

  it('a valid partial selection claims only what ran: PARTIAL, and per kind what is missing', async () => {
    const h = io();
    const argv = ['conform', '--adapter', 'memory', '--property', 'record/concurrency', '--runs', '2', '--seed', '1'];
    expect(await main(argv, h.io)).toBe(0);
    expect(h.out()).toMatch(/^PARTIAL: memory/);
    expect(h.out()).toMatch(
      /class ephemeral: partial\n {2}record: partial: model missing \(0 of \d+ properties ran; not run: record\/model/,
    );
    for (const kind of ['log', 'claim', 'queue', 'dataspace', 'channel'])
      expect(h.out()).toMatch(new RegExp(`\\n {2}${kind}: partial: model missing \\(0 of \\d+ properties ran`));
    expect(h.out()).not.toMatch(/certified \(/);
  });

  it('explains itself with --help', async () => {
    const h = io();
    expect(await main(['conform', '--help'], h.io)).toBe(0);
    expect(h.out()).toContain('Usage: stateproof conform --adapter');
    expect(h.out()).toContain('docs/conformance.md');
    expect(h.out()).toContain('partial, with the missing checks named');
    const c = io();
    expect(await main(['certify', '--help'], c.io)).toBe(0);
    expect(c.out()).toContain('Usage: stateproof certify --adapter');
    expect(c.out()).toContain(
      'Exit status: 0 every claimed class certified; 1 a check failed, or a class is only partial',
    );
  });
});

describe('stateproof mutants', () => {
  it('catches every mutant and says so on its last line', async () => {
    const h = io();
    const code = await main(['mutants', '--seed', '1'], h.io);
    const last = h.out().trim().split('\n').at(-1);
    // On a miss, the whole list says which mutant escaped and how long each took.
    expect(last, h.out()).toMatch(/^caught (\d+) of \1 mutants$/);
    expect(Number(/caught (\d+)/.exec(last!)?.[1])).toBeGreaterThanOrEqual(15);
    expect(h.out()).not.toContain('MISSED');
    expect(code).toBe(0);
  }, 600_000); // 81 mutants took about 2.5 minutes on 2 busy cores

  it('lists the mutants and refuses unknown names', async () => {
    const l = io();
    expect(await main(['mutants', '--list'], l.io)).toBe(0);
    expect(l.out()).toContain('queue-reaper-own-worker-only');
    const u = io();
    expect(await main(['mutants', '--only', 'no-such-bug'], u.io)).toBe(2);
    expect(u.err()).toContain('stateproof mutants --list');
  });
});
