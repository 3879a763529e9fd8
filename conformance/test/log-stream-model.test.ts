import { describe, expect, it } from 'vitest';
import {
  checkLinearizability,
  describeResult,
  logStreamModel,
  type LogAnswer,
  type LogCall,
  type Operation,
} from '@stateproof/conformance';

type L = Operation<LogCall, LogAnswer>;
const op = (client: number, input: LogCall, invoke: number, complete?: number, output?: LogAnswer): L => ({
  client,
  input,
  invoke,
  ...(complete === undefined ? {} : { complete, output }),
});
const append = (c: number, v: string, t0: number, t1: number | undefined, seqs?: number[], stream = 's'): L =>
  op(c, { op: 'append', stream, values: [v], batch: false }, t0, t1, seqs && { kind: 'appended', seqs });
const batch = (c: number, vs: string[], t0: number, t1: number, seqs: number[]): L =>
  op(c, { op: 'append', stream: 's', values: vs, batch: true }, t0, t1, { kind: 'appended', seqs });
const read = (c: number, after: number, t0: number, t1: number, entries: Array<[number, string]>, limit = 100): L =>
  op(c, { op: 'read', stream: 's', after, limit }, t0, t1, {
    kind: 'entries',
    entries: entries.map(([seq, value]) => ({ seq, value })),
  });
const verdict = (h: L[]) => checkLinearizability(logStreamModel, h);
const violates = (h: L[]) => {
  const r = verdict(h);
  return r.verdict === 'not-linearizable' ? r.failure.violates : [];
};

describe('logStreamModel', () => {
  it('accepts concurrent appends that take the sequences in either order, and reads that see them in that order', () => {
    const h = [
      append(0, 'x', 0, 10, [2]),
      append(1, 'y', 1, 9, [1]),
      batch(2, ['p', 'q'], 11, 12, [3, 4]),
      read(
        0,
        1,
        13,
        14,
        [
          [2, 'x'],
          [3, 'p'],
        ],
        2,
      ),
      op(1, { op: 'info', stream: 's' }, 15, 16, { kind: 'info', first: 1, last: 4 }),
    ];
    expect(verdict(h).verdict).toBe('linearizable');
  });

  it('rejects two writers handed one sequence (LOG-002, LOG-003)', () => {
    const h = [append(0, 'x', 0, 10, [1]), append(1, 'y', 1, 9, [1])];
    expect(violates(h)).toEqual(expect.arrayContaining(['LOG-002', 'LOG-003']));
    const r = verdict(h);
    if (r.verdict === 'not-linearizable') expect(describeResult(logStreamModel, r)).toContain('must get [2]');
  });

  it('rejects a skipped sequence (LOG-002) and a first entry that is not 1 (LOG-001)', () => {
    expect(violates([append(0, 'x', 0, 1, [1]), append(0, 'y', 2, 3, [3])])).toContain('LOG-002');
    expect(violates([append(0, 'x', 0, 1, [2])])).toEqual(expect.arrayContaining(['LOG-001', 'LOG-002']));
  });

  it("rejects a batch with another writer's entry inside it (LOG-004)", () => {
    const h = [batch(0, ['p', 'q'], 0, 10, [1, 3]), append(1, 'y', 1, 9, [2])];
    expect(verdict(h).verdict).toBe('not-linearizable');
    expect(violates(h)).toContain('LOG-004');
  });

  it('rejects a read that sees entries out of append order, or misses one (LOG-005)', () => {
    const base = [append(0, 'x', 0, 1, [1]), append(1, 'y', 2, 3, [2])];
    expect(
      violates([
        ...base,
        read(0, 0, 4, 5, [
          [1, 'y'],
          [2, 'x'],
        ]),
      ]),
    ).toEqual(['LOG-005']);
    expect(violates([...base, read(0, 0, 4, 5, [[2, 'y']])])).toEqual(['LOG-005']);
    expect(violates([...base, read(0, 2, 4, 5, [[3, 'y']])])).toEqual(['LOG-006']);
  });

  it('lets an append that never returned take effect or not, as later reads show', () => {
    const pending = append(0, 'x', 0, undefined);
    expect(verdict([pending, append(1, 'y', 1, 2, [1]), read(1, 0, 3, 4, [[1, 'y']])]).verdict).toBe('linearizable');
    expect(
      verdict([
        pending,
        append(1, 'y', 1, 2, [2]),
        read(1, 0, 3, 4, [
          [1, 'x'],
          [2, 'y'],
        ]),
      ]).verdict,
    ).toBe('linearizable');
    expect(verdict([pending, read(1, 0, 3, 4, [[1, 'z']])]).verdict).toBe('not-linearizable');
  });

  it('checks streams independently', () => {
    const h = [append(0, 'x', 0, 1, [1], 'a'), append(1, 'y', 0, 1, [1], 'b')];
    const r = verdict(h);
    expect(r).toMatchObject({ verdict: 'linearizable', partitions: 2 });
  });
});
