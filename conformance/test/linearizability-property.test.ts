import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkLinearizability,
  recordCasModel,
  registerModel,
  type Operation,
  type RecordAnswer,
  type RecordCall,
  type RegisterInput,
  type RegisterOutput,
} from '@stateproof/conformance';
import { exhaustivelyLinearizable } from './exhaustive-linearizability.js';

type RegOp = Operation<RegisterInput<number>, RegisterOutput<number>>;
const register = registerModel(0);

const value = fc.integer({ min: 0, max: 2 });
const randomRegisterOp: fc.Arbitrary<RegOp> = fc
  .tuple(
    fc.nat(3),
    fc.oneof(
      value.map((v): [RegisterInput<number>, RegisterOutput<number>] => [{ op: 'read', key: 'x' }, { value: v }]),
      value.map((v): [RegisterInput<number>, RegisterOutput<number>] => [
        { op: 'write', key: 'x', value: v },
        { ok: true },
      ]),
      fc
        .tuple(value, value, fc.boolean())
        .map(([e, v, s]): [RegisterInput<number>, RegisterOutput<number>] => [
          { op: 'cas', key: 'x', expect: e, value: v },
          { swapped: s },
        ]),
    ),
    fc.integer({ min: 0, max: 30 }),
    fc.integer({ min: 0, max: 12 }),
    fc.integer({ min: 0, max: 9 }),
  )
  .map(([client, [input, output], invoke, length, p]) => ({
    client,
    input,
    output,
    invoke,
    ...(p === 0 ? {} : { complete: invoke + length }),
  }));

describe('the checker agrees with exhaustive search', () => {
  it('on random small register and CAS histories (with pending calls)', () => {
    let linearizable = 0;
    fc.assert(
      fc.property(fc.array(randomRegisterOp, { minLength: 1, maxLength: 6 }), (ops) => {
        const expected = exhaustivelyLinearizable(register, ops);
        if (expected) linearizable++;
        expect(checkLinearizability(register, ops).verdict).toBe(expected ? 'linearizable' : 'not-linearizable');
      }),
      { numRuns: 400, seed: 42 },
    );
    // Both verdicts must actually occur, or the comparison proves little.
    expect(linearizable).toBeGreaterThan(20);
    expect(linearizable).toBeLessThan(380);
  });
});

/** Gives each operation of a sequential execution (at instants 0, 10, 20, …) a random interval around its instant. */
function overlap<I, O>(
  seq: ReadonlyArray<{ input: I; output: O }>,
  spread: ReadonlyArray<{ before: number; after: number; pending: boolean }>,
): Operation<I, O>[] {
  return seq.map((s, k) => {
    const d = spread[k % spread.length]!;
    const at = k * 10;
    return {
      client: k % 4,
      input: s.input,
      output: s.output,
      invoke: at - d.before,
      ...(d.pending ? {} : { complete: at + d.after }),
    };
  });
}
const spreadArb = fc.array(
  fc.record({
    before: fc.integer({ min: 0, max: 40 }),
    after: fc.integer({ min: 0, max: 40 }),
    pending: fc.integer({ min: 0, max: 15 }).map((n) => n === 0),
  }),
  { minLength: 1, maxLength: 20 },
);

describe('histories from a sequential execution', () => {
  const regCall = fc.oneof(
    fc.constantFrom('a', 'b').map((key): RegisterInput<number> => ({ op: 'read', key })),
    fc
      .tuple(fc.constantFrom('a', 'b'), fc.integer({ min: 1, max: 5 }))
      .map(([key, v]): RegisterInput<number> => ({ op: 'write', key, value: v })),
    fc
      .tuple(fc.constantFrom('a', 'b'), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 5 }))
      .map(([key, e, v]): RegisterInput<number> => ({ op: 'cas', key, expect: e, value: v })),
  );
  const run = (calls: readonly RegisterInput<number>[]) => {
    const mem = new Map<string, number>();
    return calls.map((input): { input: RegisterInput<number>; output: RegisterOutput<number> } => {
      const cur = mem.get(input.key) ?? 0;
      if (input.op === 'read') return { input, output: { value: cur } as RegisterOutput<number> };
      if (input.op === 'write') {
        mem.set(input.key, input.value);
        return { input, output: { ok: true } as RegisterOutput<number> };
      }
      if (cur === input.expect) mem.set(input.key, input.value);
      return { input, output: { swapped: cur === input.expect } as RegisterOutput<number> };
    });
  };

  it('are always linearizable, with random overlapping intervals and pending calls (registers)', () => {
    fc.assert(
      fc.property(fc.array(regCall, { minLength: 1, maxLength: 200 }), spreadArb, (calls, spread) => {
        expect(checkLinearizability(register, overlap(run(calls), spread)).verdict).toBe('linearizable');
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('are rejected once a completed read returns a value nobody wrote', () => {
    fc.assert(
      fc.property(fc.array(regCall, { minLength: 1, maxLength: 60 }), spreadArb, fc.nat(), (calls, spread, pick) => {
        const history = overlap(run(calls), spread);
        const reads = history
          .map((op, i) => [op, i] as const)
          .filter(([op]) => op.input.op === 'read' && op.complete !== undefined);
        fc.pre(reads.length > 0);
        const [, i] = reads[pick % reads.length]!;
        history[i] = { ...history[i]!, output: { value: 99 } };
        expect(checkLinearizability(register, history).verdict).toBe('not-linearizable');
      }),
      { numRuns: 200, seed: 8 },
    );
  });

  // The record model, against a tiny reference backend with one global version counter.
  const recCall = fc.tuple(
    fc.constantFrom('a', 'b', 'c'),
    fc.constantFrom('get', 'put', 'put-cas', 'put-stale', 'put-absent', 'delete', 'delete-cas'),
    fc.nat(),
  );
  const runRecord = (calls: ReadonlyArray<readonly [string, string, number]>) => {
    const mem = new Map<string, { value: unknown; version: number }>();
    let counter = 0;
    return calls.map(([key, kind, n], k): { input: RecordCall; output: RecordAnswer } => {
      const cur = mem.get(key);
      if (kind === 'get')
        return { input: { op: 'get', key }, output: cur ? { kind: 'record', ...cur } : { kind: 'none' } };
      if (kind.startsWith('delete')) {
        const input: RecordCall =
          kind === 'delete' ? { op: 'delete', key } : { op: 'delete', key, ifVersion: cur?.version ?? 1 + (n % 3) };
        if (input.ifVersion !== undefined && cur?.version !== input.ifVersion)
          return { input, output: { kind: 'conflict', current: cur?.version ?? null } };
        mem.delete(key);
        return { input, output: { kind: 'deleted', existed: cur !== undefined } };
      }
      const value = `v${k}`;
      const input: RecordCall =
        kind === 'put'
          ? { op: 'put', key, value }
          : kind === 'put-absent'
            ? { op: 'put', key, value, ifAbsent: true }
            : { op: 'put', key, value, ifVersion: kind === 'put-cas' ? (cur?.version ?? 1) : counter + 1 + (n % 5) };
      const holds = input.ifAbsent ? !cur : input.ifVersion === undefined || cur?.version === input.ifVersion;
      if (!holds) return { input, output: { kind: 'conflict', current: cur?.version ?? null } };
      const version = ++counter;
      mem.set(key, { value, version });
      return { input, output: { kind: 'written', version } };
    });
  };

  it('are always linearizable for the record model (backend-chosen versions learned)', () => {
    fc.assert(
      fc.property(fc.array(recCall, { minLength: 1, maxLength: 60 }), spreadArb, (calls, spread) => {
        expect(checkLinearizability(recordCasModel, overlap(runRecord(calls), spread)).verdict).toBe('linearizable');
      }),
      { numRuns: 200, seed: 9 },
    );
  });

  it('are rejected for the record model once a version is reused or a get invents a value', () => {
    fc.assert(
      fc.property(
        fc.array(recCall, { minLength: 2, maxLength: 60 }),
        spreadArb,
        fc.nat(),
        fc.boolean(),
        (calls, spread, pick, reuse) => {
          const history = overlap(runRecord(calls), spread);
          const done = (op: Operation<RecordCall, RecordAnswer>) => op.complete !== undefined;
          if (reuse) {
            // Two completed successful puts of one key: give the later one the earlier one's version.
            const puts = history
              .map((op, i) => [op, i] as const)
              .filter(([op]) => done(op) && op.output?.kind === 'written');
            const pairs = puts.flatMap(([a], x) =>
              puts
                .slice(x + 1)
                .filter(([b]) => b.input.key === a.input.key)
                .map(([, j]) => [a, j] as const),
            );
            fc.pre(pairs.length > 0);
            const [first, j] = pairs[pick % pairs.length]!;
            history[j] = { ...history[j]!, output: first.output! };
          } else {
            const gets = history
              .map((op, i) => [op, i] as const)
              .filter(([op]) => done(op) && op.input.op === 'get' && op.output?.kind === 'record');
            fc.pre(gets.length > 0);
            const [op, i] = gets[pick % gets.length]!;
            history[i] = {
              ...op,
              output: { kind: 'record', value: 'never written', version: (op.output as { version: number }).version },
            };
          }
          expect(checkLinearizability(recordCasModel, history).verdict).toBe('not-linearizable');
        },
      ),
      { numRuns: 200, seed: 10 },
    );
  });
});
