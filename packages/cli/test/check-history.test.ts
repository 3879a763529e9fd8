import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stateproof-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function check(file: string, text: string, ...argv: string[]) {
  writeFileSync(join(dir, file), text);
  return runCli(dir, ['check-history', file, ...argv]);
}

const lines = (...events: object[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n';
const ev = (process: number | string, type: string, f: string, value?: unknown, extra: object = {}) => ({
  process,
  type,
  f,
  ...(value === undefined ? {} : { value }),
  ...extra,
});

describe('stateproof check-history', () => {
  it('says linearizable (exit 0) for a register history with a failed and an indeterminate call', async () => {
    const r = await check(
      'ok.jsonl',
      lines(
        ev(0, 'invoke', 'write', 1),
        ev(1, 'invoke', 'read', null),
        ev(0, 'ok', 'write', 1),
        ev(1, 'ok', 'read', 1),
        ev(2, 'invoke', 'cas', [5, 6]),
        ev(2, 'fail', 'cas', [5, 6]),
        ev('nemesis', 'info', 'start-partition', 'majority'),
        ev(3, 'invoke', 'write', 7),
        ev(3, 'info', 'write', 7),
        ev(1, 'invoke', 'read', null),
        ev(1, 'ok', 'read', 7),
      ),
      '--model',
      'register',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      verdict: 'linearizable',
      events: 10,
      operations: 4,
      failedDropped: 1,
      indeterminate: 1,
    });
    expect(existsSync(join(dir, 'ok.jsonl.html'))).toBe(false);
  });

  it('says not linearizable (exit 1) with the prefix, the operation that cannot come next and why, and writes the HTML view', async () => {
    const r = await check(
      'bad.jsonl',
      lines(
        ev(0, 'invoke', 'put', 'x', { key: 'a', time: 0 }),
        ev(0, 'ok', 'put', undefined, { key: 'a', time: 10 }),
        ev(1, 'invoke', 'append', 'y', { key: 'a', time: 20 }),
        ev(1, 'ok', 'append', undefined, { key: 'a', time: 30 }),
        ev(2, 'invoke', 'get', undefined, { key: 'a', time: 40 }),
        ev(2, 'ok', 'get', 'yx', { key: 'a', time: 50 }),
        ev(3, 'invoke', 'get', undefined, { key: 'b', time: 60 }),
        ev(3, 'ok', 'get', '', { key: 'b', time: 70 }),
      ),
      '--model',
      'kv',
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain('not linearizable');
    expect(r.out).toContain('get(a) -> "yx" (must come next: it returned first)');
    expect(r.out).toContain('get read "yx" but the key holds "xy"');
    expect(r.out).toContain('HTML view: bad.jsonl.html');
    const html = readFileSync(join(dir, 'bad.jsonl.html'), 'utf8');
    expect(html).toContain('class="op unplaced blocked"');
  });

  it('answers unknown (exit 4) when time runs out, naming the undecided partition', async () => {
    const appends = Array.from({ length: 12 }, (_, i) => String.fromCharCode(97 + i));
    const events = [
      ...appends.map((v, i) => ev(i, 'invoke', 'append', v, { key: 'hot', time: i })),
      ...appends.map((_, i) => ev(i, 'ok', 'append', undefined, { key: 'hot', time: 100 + i })),
      ev(20, 'invoke', 'get', undefined, { key: 'hot', time: 200 }),
      ev(20, 'ok', 'get', 'lkjihgfedcba', { key: 'hot', time: 201 }),
    ];
    const r = await check('hard.jsonl', lines(...events), '--model', 'kv', '--timeout-ms', '200', '--json');
    expect(r.code).toBe(4);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: 'unknown', undecided: [{ partition: 0, operations: 13 }] });
  });

  it('reads a stateproof surface model with the key on the event, and checks it (not a vacuous pass)', async () => {
    const put = (version: number) => [
      ev(0, 'invoke', 'put', { value: 'v1' }, { key: 'a' }),
      ev(0, 'ok', 'put', { kind: 'written', version }, { key: 'a' }),
    ];
    const get = (value: string) => [
      ev(1, 'invoke', 'get', undefined, { key: 'a' }),
      ev(1, 'ok', 'get', { kind: 'record', value, version: 1 }, { key: 'a' }),
    ];
    const ok = await check('record-ok.jsonl', lines(...put(1), ...get('v1')), '--model', 'record', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ verdict: 'linearizable', operations: 2, partitions: 1 });
    const bad = await check('record-bad.jsonl', lines(...put(1), ...get('v9')), '--model', 'record');
    expect(bad.code).toBe(1);
    const keyless = await check('record-keyless.jsonl', lines(ev(0, 'invoke', 'get')), '--model', 'record');
    expect(keyless.code).toBe(2);
    expect(keyless.err).toContain('line 1: a get needs the object it touches');
  });

  it('refuses, exit 2, a history whose calls lack what the model reads, instead of crashing', async () => {
    const r = await check(
      'log-fields.jsonl',
      lines(ev(0, 'invoke', 'append', { stream: 's' }), ev(0, 'ok', 'append', { kind: 'appended' })),
      '--model',
      'log',
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('the log model cannot read this history');
  });

  it('still gives the verdict when the HTML view cannot be written, and draws a history at one instant', async () => {
    const bad = lines(
      ev(0, 'invoke', 'write', 1, { time: 5 }),
      ev(0, 'ok', 'write', 1, { time: 5 }),
      ev(1, 'invoke', 'read', null, { time: 5 }),
      ev(1, 'ok', 'read', 7, { time: 5 }),
    );
    const r = await check('instant.jsonl', bad, '--model', 'register', '--html', 'no-such-folder/view.html');
    expect(r.code).toBe(1);
    expect(r.err).toContain('could not write the HTML view to no-such-folder/view.html');
    expect(r.out).toContain('not linearizable');
    const drawn = await check('instant.jsonl', bad, '--model', 'register', '--html', 'instant.html');
    expect(drawn.code).toBe(1);
    expect(readFileSync(join(dir, 'instant.html'), 'utf8')).not.toContain('NaN');
  });

  const malformed: [string, string, RegExp][] = [
    ['not JSON', '{"process":0,"type":"invoke","f":"read"}\n{"process":0,\n', /line 2: not JSON/],
    ['an array', '[1,2]\n', /line 1: an event must be a JSON object/],
    ['a bad type', lines(ev(0, 'start', 'read')), /line 1: "type" must be one of invoke, ok, fail, info, got "start"/],
    ['no process', '{"type":"invoke","f":"read"}\n', /line 1: "process" must be an integer or a string/],
    [
      'a completion on another key',
      lines(ev(0, 'invoke', 'read', null, { key: 'a' }), ev(0, 'ok', 'read', 1, { key: 'b' })),
      /line 2: ok of read on key "b" completes an invoke on key "a"/,
    ],
    [
      'an ok without invoke',
      lines(ev(0, 'invoke', 'read'), ev(0, 'ok', 'read', 0), ev(0, 'ok', 'read', 0)),
      /line 3: process 0 reports ok for read with no open invoke/,
    ],
    [
      'two open calls',
      lines(ev(0, 'invoke', 'read'), ev(0, 'invoke', 'write', 1)),
      /line 2: process 0 invokes write while its read of line 1 is still open/,
    ],
    [
      'a mismatched completion',
      lines(ev(0, 'invoke', 'read'), ev(0, 'ok', 'write', 1)),
      /line 2: ok of write completes an invoke of read \(line 1\)/,
    ],
    [
      'an f the model does not know',
      lines(ev(0, 'invoke', 'increment', 1)),
      /line 1: the register model knows read, write and cas, not "increment"/,
    ],
    ['a bad cas value', lines(ev(0, 'invoke', 'cas', 3)), /line 1: a cas needs "value": \[expected, new\], got 3/],
    [
      'time going back',
      lines(ev(0, 'invoke', 'read', null, { time: 5 }), ev(0, 'ok', 'read', null, { time: 4 })),
      /line 2: time 4 goes back/,
    ],
    ['an empty file', '\n\n', /the history has no events/],
  ];
  for (const [what, text, message] of malformed)
    it(`refuses a history with ${what}: exit 2, the line and what is wrong, never a crash`, async () => {
      const r = await check('malformed.jsonl', text, '--model', 'register');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.out).toBe('');
    });

  it('has help listing the models, and usage errors that say what to do', async () => {
    const { code, out } = await runCli(dir, ['check-history', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('Usage: stateproof check-history FILE --model <name>');
    for (const m of ['register', 'kv', 'record', 'claim']) expect(out).toContain(`  ${m}`);
    expect(out).toContain('4 unknown');
    const none = await check('x.jsonl', lines(ev(0, 'invoke', 'read')));
    expect(none.code).toBe(2);
    expect(none.err).toContain('--model is required');
    const wrong = await check('x.jsonl', lines(ev(0, 'invoke', 'read')), '--model', 'queue-ish');
    expect(wrong.err).toContain('unknown model "queue-ish"');
    expect(wrong.err).toContain('Choose one of register, kv');
  });
});
