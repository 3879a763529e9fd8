import { describe, expect, it } from 'vitest';
import {
  checkLinearizability,
  claimLeaseModel,
  describeResult,
  queueExclusivityModel,
  recordCasModel,
  type ClaimAnswer,
  type ClaimCall,
  type Operation,
  type QueueAnswer,
  type QueueCall,
  type RecordAnswer,
  type RecordCall,
} from '@stateproof/conformance';

const op = <I, O>(
  client: number,
  input: I,
  invoke: number,
  complete: number | undefined,
  output?: O,
): Operation<I, O> => ({ client, input, invoke, ...(complete === undefined ? {} : { complete, output }) });

describe('recordCasModel', () => {
  type R = Operation<RecordCall, RecordAnswer>;
  const get = (c: number, t0: number, t1: number, out: RecordAnswer): R => op(c, { op: 'get', key: 'k' }, t0, t1, out);
  const put = (
    c: number,
    value: string,
    t0: number,
    t1: number | undefined,
    out: RecordAnswer | undefined,
    cond: { ifVersion?: number; ifAbsent?: boolean } = {},
  ): R => op(c, { op: 'put', key: 'k', value, ...cond }, t0, t1, out);

  it('learns backend versions: any increasing integers, across a delete', () => {
    const h: R[] = [
      put(0, 'a', 0, 1, { kind: 'written', version: 7 }),
      op(1, { op: 'delete', key: 'k' }, 2, 3, { kind: 'deleted', existed: true }),
      put(0, 'b', 4, 5, { kind: 'written', version: 40 }),
      get(1, 6, 7, { kind: 'record', value: 'b', version: 40 }),
    ];
    expect(checkLinearizability(recordCasModel, h).verdict).toBe('linearizable');
  });

  it('rejects a version reused after a delete (REC-005)', () => {
    const h: R[] = [
      put(0, 'a', 0, 1, { kind: 'written', version: 7 }),
      op(1, { op: 'delete', key: 'k' }, 2, 3, { kind: 'deleted', existed: true }),
      put(0, 'b', 4, 5, { kind: 'written', version: 7 }),
    ];
    const r = checkLinearizability(recordCasModel, h);
    expect(r.verdict).toBe('not-linearizable');
    if (r.verdict === 'not-linearizable')
      expect(r.failure.violates).toEqual(expect.arrayContaining(['REC-004', 'REC-005']));
  });

  it('rejects a lost update: two read-modify-writes at one version both succeed (REC-006)', () => {
    const h: R[] = [
      put(0, 'a', 0, 1, { kind: 'written', version: 1 }),
      put(1, 'b', 2, 10, { kind: 'written', version: 2 }, { ifVersion: 1 }),
      put(2, 'c', 2, 10, { kind: 'written', version: 3 }, { ifVersion: 1 }),
    ];
    const r = checkLinearizability(recordCasModel, h);
    expect(r.verdict).toBe('not-linearizable');
    if (r.verdict === 'not-linearizable') {
      expect(r.failure.violates).toContain('REC-006');
      expect(describeResult(recordCasModel, r)).toContain('ifVersion 1');
    }
  });

  it('accepts the loser of a CAS race when its conflict carries the winner version, and rejects a wrong one (REC-008)', () => {
    const base = [
      put(0, 'a', 0, 1, { kind: 'written', version: 1 }),
      put(1, 'b', 2, 10, { kind: 'written', version: 2 }, { ifVersion: 1 }),
    ];
    expect(
      checkLinearizability(recordCasModel, [
        ...base,
        put(2, 'c', 2, 10, { kind: 'conflict', current: 2 }, { ifVersion: 1 }),
      ]).verdict,
    ).toBe('linearizable');
    const r = checkLinearizability(recordCasModel, [
      ...base,
      put(2, 'c', 2, 10, { kind: 'conflict', current: 5 }, { ifVersion: 1 }),
    ]);
    expect(r.verdict).toBe('not-linearizable');
    if (r.verdict === 'not-linearizable') expect(r.failure.violates).toContain('REC-008');
  });

  it('rejects two ifAbsent creations of one key (REC-007)', () => {
    const h: R[] = [
      put(0, 'a', 0, 5, { kind: 'written', version: 1 }, { ifAbsent: true }),
      put(1, 'b', 0, 5, { kind: 'written', version: 2 }, { ifAbsent: true }),
    ];
    const r = checkLinearizability(recordCasModel, h);
    expect(r.verdict).toBe('not-linearizable');
    if (r.verdict === 'not-linearizable') expect(r.failure.violates).toContain('REC-007');
  });

  it('lets a put that never returned be read later at a version learned then', () => {
    const h: R[] = [
      put(0, 'a', 0, 1, { kind: 'written', version: 3 }),
      put(1, 'b', 2, undefined, undefined),
      get(2, 5, 6, { kind: 'record', value: 'b', version: 9 }),
      put(2, 'c', 7, 8, { kind: 'written', version: 10 }, { ifVersion: 9 }),
    ];
    expect(checkLinearizability(recordCasModel, h).verdict).toBe('linearizable');
    // …but the learned version must be above the floor.
    const low: R[] = [h[0]!, h[1]!, get(2, 5, 6, { kind: 'record', value: 'b', version: 2 })];
    expect(checkLinearizability(recordCasModel, low).verdict).toBe('not-linearizable');
  });

  it('rejects any other error', () => {
    expect(
      checkLinearizability(recordCasModel, [get(0, 0, 1, { kind: 'error', code: 'STATEPROOF_CLOSED' })]).verdict,
    ).toBe('not-linearizable');
  });
});

describe('claimLeaseModel (a lock with fencing tokens)', () => {
  type C = Operation<ClaimCall, ClaimAnswer>;
  const acquire = (c: number, t0: number, t1: number | undefined, out?: ClaimAnswer, key = 'k'): C =>
    op(c, { op: 'acquire', key, owner: `o${c}` }, t0, t1, out);
  const acquired = (token: number): ClaimAnswer => ({ kind: 'acquired', token, takeover: false, expiresAt: 1000 });

  it('accepts one holder at a time, hand-over by release, and increasing tokens', () => {
    const h: C[] = [
      acquire(0, 0, 5, acquired(1)),
      acquire(1, 1, 6, { kind: 'held', holder: 'o0', expiresAt: 1000 }),
      op(0, { op: 'release', key: 'k', token: 1 }, 7, 8, { kind: 'done' }),
      acquire(1, 9, 10, acquired(2)),
      op(0, { op: 'complete', key: 'k', token: 1, result: 'x' }, 11, 12, { kind: 'lease-lost' }),
      op(1, { op: 'complete', key: 'k', token: 2, result: 'y' }, 11, 12, { kind: 'done' }),
      acquire(0, 13, 14, { kind: 'completed', holder: 'o1', result: 'y' }),
    ];
    expect(checkLinearizability(claimLeaseModel, h).verdict).toBe('linearizable');
  });

  it('rejects two overlapping acquisitions that both succeed (CLM-002)', () => {
    const r = checkLinearizability(claimLeaseModel, [acquire(0, 0, 5, acquired(1)), acquire(1, 0, 5, acquired(2))]);
    expect(r.verdict).toBe('not-linearizable');
    if (r.verdict === 'not-linearizable') expect(r.failure.violates).toContain('CLM-002');
  });

  it('rejects a token that does not grow across a release (CLM-003)', () => {
    const h: C[] = [
      acquire(0, 0, 1, acquired(4)),
      op(0, { op: 'release', key: 'k', token: 4 }, 2, 3, { kind: 'done' }),
      acquire(1, 4, 5, acquired(4)),
    ];
    const r = checkLinearizability(claimLeaseModel, h);
    expect(r.verdict).toBe('not-linearizable');
    if (r.verdict === 'not-linearizable') expect(r.failure.violates).toContain('CLM-003');
  });

  it('rejects a stale token that completes (CLM-007) and a held report naming the wrong holder', () => {
    const stale: C[] = [
      acquire(0, 0, 1, acquired(1)),
      op(0, { op: 'release', key: 'k', token: 1 }, 2, 3, { kind: 'done' }),
      acquire(1, 4, 5, acquired(2)),
      op(0, { op: 'complete', key: 'k', token: 1, result: 1 }, 6, 7, { kind: 'done' }),
    ];
    const r = checkLinearizability(claimLeaseModel, stale);
    expect(r.verdict).toBe('not-linearizable');
    if (r.verdict === 'not-linearizable') expect(r.failure.violates).toContain('CLM-007');
    expect(
      checkLinearizability(claimLeaseModel, [
        acquire(0, 0, 1, acquired(1)),
        acquire(1, 2, 3, { kind: 'held', holder: 'o1', expiresAt: 1000 }),
      ]).verdict,
    ).toBe('not-linearizable');
  });

  it('lets an acquisition that never returned hold the key or not', () => {
    const held: C[] = [acquire(0, 0, undefined), acquire(1, 5, 6, { kind: 'held', holder: 'o0', expiresAt: 1000 })];
    const free: C[] = [acquire(0, 0, undefined), acquire(1, 5, 6, acquired(1))];
    expect(checkLinearizability(claimLeaseModel, held).verdict).toBe('linearizable');
    expect(checkLinearizability(claimLeaseModel, free).verdict).toBe('linearizable');
  });
});

describe('queueExclusivityModel', () => {
  type Q = Operation<QueueCall, QueueAnswer>;
  const model = queueExclusivityModel({ maxAttempts: 2 });
  const enqueue = (id: string, t0 = 0, t1 = 1): Q =>
    op(9, { op: 'enqueue', payload: id }, t0, t1, { kind: 'enqueued', id });
  const claim = (c: number, t0: number, t1: number | undefined, tasks: Array<[string, string, number]>): Q =>
    op(c, { op: 'claim', worker: `w${c}`, limit: 2 }, t0, t1, {
      kind: 'claimed',
      tasks: tasks.map(([id, token, attempt]) => ({ id, token, attempt })),
    });

  it('accepts concurrent workers taking different tasks, retrying and completing with their tokens', () => {
    const h: Q[] = [
      enqueue('t1'),
      enqueue('t2'),
      claim(0, 2, 6, [['t1', 'a', 1]]),
      claim(1, 2, 6, [['t2', 'b', 1]]),
      claim(2, 2, 6, []),
      op(0, { op: 'fail', id: 't1', token: 'a', retry: true }, 7, 8, { kind: 'failed-attempt', state: 'queued' }),
      op(1, { op: 'complete', id: 't2', token: 'b' }, 7, 8, { kind: 'done' }),
      op(1, { op: 'complete', id: 't1', token: 'a' }, 9, 10, { kind: 'lease-lost' }),
    ];
    expect(checkLinearizability(model, h).verdict).toBe('linearizable');
  });

  it('rejects one task handed to two workers under unexpired leases (QUE-006)', () => {
    const r = checkLinearizability(model, [
      enqueue('t1'),
      claim(0, 2, 6, [['t1', 'a', 1]]),
      claim(1, 2, 6, [['t1', 'b', 2]]),
    ]);
    expect(r.verdict).toBe('not-linearizable');
    if (r.verdict === 'not-linearizable') {
      expect(r.failure.violates).toEqual(expect.arrayContaining(['QUE-006']));
      expect(describeResult(model, r)).toContain('claim(w');
    }
  });

  it('rejects completion by a token that is not the running attempt (QUE-010)', () => {
    const h: Q[] = [
      enqueue('t1'),
      claim(0, 2, 3, [['t1', 'a', 1]]),
      op(1, { op: 'complete', id: 't1', token: 'forged' }, 4, 5, { kind: 'done' }),
    ];
    const r = checkLinearizability(model, h);
    expect(r.verdict).toBe('not-linearizable');
    if (r.verdict === 'not-linearizable') expect(r.failure.violates).toContain('QUE-010');
  });

  it('rejects a retry before it is due, an attempt past the maximum and a reused token', () => {
    const failed: Q[] = [
      enqueue('t1'),
      claim(0, 2, 3, [['t1', 'a', 1]]),
      op(0, { op: 'fail', id: 't1', token: 'a', retry: true }, 4, 5, { kind: 'failed-attempt', state: 'queued' }),
    ];
    expect(checkLinearizability(model, [...failed, claim(1, 6, 7, [['t1', 'b', 2]])]).verdict).toBe('not-linearizable');
    const last: Q[] = [
      enqueue('t1'),
      claim(0, 2, 3, [['t1', 'a', 1]]),
      op(0, { op: 'fail', id: 't1', token: 'a', retry: false }, 4, 5, { kind: 'failed-attempt', state: 'failed' }),
    ];
    expect(checkLinearizability(model, last).verdict).toBe('linearizable');
    expect(checkLinearizability(queueExclusivityModel({ maxAttempts: 1 }), failed).verdict).toBe('not-linearizable');
  });

  it('lets a complete that never returned take effect or not', () => {
    const h: Q[] = [
      enqueue('t1'),
      claim(0, 2, 3, [['t1', 'a', 1]]),
      op(0, { op: 'complete', id: 't1', token: 'a' }, 4, undefined),
    ];
    expect(
      checkLinearizability(model, [
        ...h,
        op(1, { op: 'fail', id: 't1', token: 'a', retry: false }, 6, 7, { kind: 'lease-lost' }),
      ]).verdict,
    ).toBe('linearizable');
    expect(
      checkLinearizability(model, [
        ...h,
        op(1, { op: 'fail', id: 't1', token: 'a', retry: false }, 6, 7, { kind: 'failed-attempt', state: 'failed' }),
      ]).verdict,
    ).toBe('linearizable');
  });

  it('lets a task come from an enqueue that never returned, but not from nowhere', () => {
    const pending = op<QueueCall, QueueAnswer>(9, { op: 'enqueue', payload: 1 }, 0, undefined);
    expect(checkLinearizability(model, [pending, claim(0, 2, 3, [['t7', 'a', 1]])]).verdict).toBe('linearizable');
    expect(checkLinearizability(model, [claim(0, 2, 3, [['t7', 'a', 1]])]).verdict).toBe('not-linearizable');
  });
});
