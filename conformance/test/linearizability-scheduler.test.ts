import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkLinearizability,
  kvModel,
  registerModel,
  type KvInput,
  type KvOutput,
  type Operation,
  type SequentialModel,
} from '@stateproof/conformance';
import { exhaustivelyLinearizable } from './exhaustive-linearizability.js';

type KvOp = Operation<KvInput, KvOutput>;
const kv = kvModel();

/** mulberry32, so the generated histories are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A linearizable partition that is exponentially hard for a Wing & Gong search: `n` appends of
 * distinct letters all concurrent, then a get that read them in a shuffled order. Every order of
 * the appends is a distinct state, so the memo cannot collapse them (about e·n! states).
 */
function hardPartition(key: string, n: number, firstClient: number, seed: number): KvOp[] {
  const rnd = random(seed);
  const letters = Array.from({ length: n }, (_, i) => String.fromCharCode(97 + i));
  const shuffled = [...letters];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return [
    ...letters.map((v, i) => ({
      client: firstClient + i,
      input: { op: 'append' as const, key, value: v },
      invoke: i * 0.01,
      complete: 100 + i * 0.01,
      output: { value: '' },
    })),
    {
      client: firstClient + n,
      input: { op: 'get', key },
      invoke: 200,
      complete: 201,
      output: { value: shuffled.join('') },
    },
  ];
}

/** Sequential-looking, linearizable traffic on many keys from many clients. */
function easyTraffic(keys: number, ops: number, clients: number, firstClient: number, seed: number): KvOp[] {
  const rnd = random(seed);
  const mem = new Map<string, string>();
  const out: KvOp[] = [];
  for (let k = 0; k < ops; k++) {
    const key = `e${Math.floor(rnd() * keys)}`;
    const at = 10 + k;
    const r = rnd();
    const input: KvInput =
      r < 0.4
        ? { op: 'get', key }
        : r < 0.7
          ? { op: 'append', key, value: `${k % 10}` }
          : { op: 'put', key, value: `${k}` };
    const cur = mem.get(key) ?? '';
    if (input.op === 'put') mem.set(key, input.value);
    if (input.op === 'append') mem.set(key, cur + input.value);
    out.push({
      client: firstClient + (k % clients),
      input,
      invoke: at - rnd() * 0.5,
      complete: at + rnd() * 0.5,
      output: { value: input.op === 'get' ? cur : '' },
    });
  }
  return out;
}

/** A key whose history is plainly not linearizable: a get reads what no put wrote. */
const violation = (client: number): KvOp[] => [
  { client, input: { op: 'put', key: 'bad', value: 'x' }, invoke: 20, complete: 21, output: { value: '' } },
  { client, input: { op: 'get', key: 'bad' }, invoke: 22, complete: 23, output: { value: 'y' } },
];

describe('the checker decides every partition race', () => {
  it('the hard partition alone is beyond any budget: unknown, and the partition is named', () => {
    const r = checkLinearizability(kv, hardPartition('hot', 12, 0, 1), { timeoutMs: 300 });
    expect(r.verdict).toBe('unknown');
    if (r.verdict !== 'unknown') return;
    expect(r.undecided).toEqual([{ partition: 0, operations: 13, steps: expect.any(Number) }]);
    expect(r.reason).toContain('1 of 1 partitions undecided: 1 (13 operations');
  });

  it('a 50-client key-value history with a hard linearizable partition first and an early violation later: not linearizable, fast', () => {
    const history = [...hardPartition('hot', 12, 0, 2), ...easyTraffic(40, 2000, 36, 13, 3), ...violation(49)];
    expect(new Set(history.map((o) => o.client)).size).toBe(50);
    const started = performance.now();
    const r = checkLinearizability(kv, history, { timeoutMs: 30_000 });
    const took = performance.now() - started;
    expect(r.verdict).toBe('not-linearizable');
    if (r.verdict !== 'not-linearizable') return;
    expect(r.failure.operations.every((o) => o.input.key === 'bad')).toBe(true);
    expect(r.failure.blocked.input.op).toBe('get');
    // Porcupine answers this shape in milliseconds; a generous bound, since CI machines are shared.
    expect(took).toBeLessThan(5_000);
  });

  it('unknown only when every remaining partition ran out of time, naming each; the easy ones are decided', () => {
    const history = [
      ...hardPartition('h1', 12, 0, 4),
      ...easyTraffic(10, 300, 5, 20, 5),
      ...hardPartition('h2', 12, 30, 6),
    ];
    const r = checkLinearizability(kv, history, { timeoutMs: 400 });
    expect(r.verdict).toBe('unknown');
    if (r.verdict !== 'unknown') return;
    expect(r.undecided.map((u) => u.operations)).toEqual([13, 13]);
    expect(r.partitions).toBe(12);
    expect(r.reason).toContain('2 of 12 partitions undecided');
  });

  it('a hard partition that is decidable in time is decided, beside a thousand easy ones', () => {
    const history = [...hardPartition('hot', 6, 0, 7), ...easyTraffic(1000, 3000, 40, 10, 8)];
    const r = checkLinearizability(kv, history, { timeoutMs: 30_000 });
    expect(r.verdict).toBe('linearizable');
  });
});

const timing = fc
  .tuple(fc.nat(3), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 9 }))
  .map(([client, invoke, length, p]) => ({ client, invoke, ...(p === 0 ? {} : { complete: invoke + length }) }));

describe('the checker agrees with exhaustive search (nondeterministic models, initial-state sets)', () => {
  it('kv with append, from one of several initial values', () => {
    const model: SequentialModel<string, KvInput, KvOutput> = { ...kv, initialStates: () => ['', 'z'] };
    const call = fc.oneof(
      fc
        .constantFrom('', 'a', 'z', 'za', 'ab', 'b')
        .map((v): [KvInput, KvOutput] => [{ op: 'get', key: 'k' }, { value: v }]),
      fc.constantFrom('a', 'b').map((v): [KvInput, KvOutput] => [{ op: 'append', key: 'k', value: v }, { value: '' }]),
      fc.constantFrom('a', 'z').map((v): [KvInput, KvOutput] => [{ op: 'put', key: 'k', value: v }, { value: '' }]),
    );
    let linearizable = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(timing, call), { minLength: 1, maxLength: 6 }), (raw) => {
        const ops = raw.map(([t, [input, output]]) => ({ ...t, input, output }));
        const expected = exhaustivelyLinearizable(model, ops);
        if (expected) linearizable++;
        expect(checkLinearizability(model, ops).verdict).toBe(expected ? 'linearizable' : 'not-linearizable');
      }),
      { numRuns: 400, seed: 17 },
    );
    expect(linearizable).toBeGreaterThan(20);
    expect(linearizable).toBeLessThan(380);
  });

  it('a lossy register (a write may not take effect) whose initial value is 0 or 1', () => {
    const base = registerModel(0);
    const lossy: SequentialModel<number, Parameters<typeof base.step>[1], Parameters<typeof base.step>[2]> = {
      ...base,
      initialStates: () => [0, 1],
      step(state, input, output) {
        const r = base.step(state, input, output);
        // A write acknowledged by a replica that then lost it: the register may keep its value.
        return r.ok && input.op === 'write' ? { ok: true, next: r.next, others: [state] } : r;
      },
    };
    const value = fc.integer({ min: 0, max: 2 });
    const call = fc.oneof(
      value.map((v) => [{ op: 'read' as const, key: 'x' }, { value: v }] as const),
      value.map((v) => [{ op: 'write' as const, key: 'x', value: v }, { ok: true as const }] as const),
      fc
        .tuple(value, value, fc.boolean())
        .map(([e, v, s]) => [{ op: 'cas' as const, key: 'x', expect: e, value: v }, { swapped: s }] as const),
    );
    let linearizable = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(timing, call), { minLength: 1, maxLength: 6 }), (raw) => {
        const ops = raw.map(([t, [input, output]]) => ({ ...t, input, output }));
        const expected = exhaustivelyLinearizable(lossy, ops);
        if (expected) linearizable++;
        expect(checkLinearizability(lossy, ops).verdict).toBe(expected ? 'linearizable' : 'not-linearizable');
      }),
      { numRuns: 400, seed: 18 },
    );
    expect(linearizable).toBeGreaterThan(20);
    expect(linearizable).toBeLessThan(380);
  });
});
