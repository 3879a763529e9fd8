import {
  checkLinearizability,
  recordCasModel,
  registerModel,
  type LinearizabilityResult,
  type Operation,
  type RecordAnswer,
  type RecordCall,
  type RegisterInput,
  type RegisterOutput,
  type SequentialModel,
} from '@stateproof/conformance';
import { measure, type Benchmark, type BenchRow } from './benchmark.js';

/** mulberry32: a small seeded generator, so every run checks the same histories. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Shape {
  readonly operations: number;
  readonly clients: number;
  readonly keys: number;
  /** Share of calls that never return. */
  readonly pending: number;
}

/**
 * A concurrent history that is linearizable by construction: each client issues calls one after
 * another with random durations; each call takes effect at a random instant inside its interval,
 * and a reference implementation applied in the order of those instants gives the outputs.
 */
function simulate<I, O>(
  shape: Shape,
  seed: number,
  call: (rnd: () => number, key: string, n: number) => I,
  apply: (input: I, n: number) => O,
): Operation<I, O>[] {
  const rnd = random(seed);
  const planned: Array<{ client: number; input: I; invoke: number; at: number; complete: number; pending: boolean }> =
    [];
  const clock = new Array<number>(shape.clients).fill(0);
  for (let n = 0; n < shape.operations; n++) {
    const client = n % shape.clients;
    const invoke = clock[client]! + rnd() * 2;
    const duration = 1 + rnd() * 10;
    const at = invoke + rnd() * duration;
    const pending = rnd() < shape.pending;
    planned.push({
      client,
      input: call(rnd, `k${Math.floor(rnd() * shape.keys)}`, n),
      invoke,
      at,
      complete: invoke + duration,
      pending,
    });
    clock[client] = invoke + duration;
  }
  const outputs = new Map<number, O>();
  [...planned.keys()]
    .sort((a, b) => planned[a]!.at - planned[b]!.at)
    .forEach((i) => outputs.set(i, apply(planned[i]!.input, i)));
  // A call that never returned still took effect (it is in the reference run); its output is lost.
  return planned.map((p, i) => ({
    client: p.client,
    input: p.input,
    invoke: p.invoke,
    ...(p.pending ? {} : { complete: p.complete, output: outputs.get(i) as O }),
  }));
}

function registerHistory(shape: Shape, seed: number): Operation<RegisterInput<number>, RegisterOutput<number>>[] {
  const mem = new Map<string, number>();
  return simulate<RegisterInput<number>, RegisterOutput<number>>(
    shape,
    seed,
    (rnd, key, n) => {
      const r = rnd();
      return r < 0.4
        ? { op: 'read', key }
        : r < 0.7
          ? { op: 'write', key, value: n }
          : { op: 'cas', key, expect: Math.floor(rnd() * 3) === 0 ? 0 : n - 1 - Math.floor(rnd() * 4), value: n };
    },
    (input) => {
      const cur = mem.get(input.key) ?? 0;
      if (input.op === 'read') return { value: cur };
      if (input.op === 'write') return mem.set(input.key, input.value) && { ok: true };
      if (cur === input.expect) mem.set(input.key, input.value);
      return { swapped: cur === input.expect };
    },
  );
}

function recordHistory(shape: Shape, seed: number): Operation<RecordCall, RecordAnswer>[] {
  const mem = new Map<string, { value: unknown; version: number }>();
  const lastSeen = new Map<string, number>();
  let counter = 0;
  return simulate<RecordCall, RecordAnswer>(
    shape,
    seed,
    (rnd, key, n) => {
      const r = rnd();
      const seen = lastSeen.get(key) ?? 1;
      return r < 0.35
        ? { op: 'get', key }
        : r < 0.55
          ? { op: 'put', key, value: n }
          : r < 0.85
            ? { op: 'put', key, value: n, ifVersion: seen }
            : r < 0.93
              ? { op: 'put', key, value: n, ifAbsent: true }
              : { op: 'delete', key };
    },
    (input) => {
      const cur = mem.get(input.key);
      if (input.op === 'get') return cur ? { kind: 'record', ...cur } : { kind: 'none' };
      if (input.op === 'delete') return { kind: 'deleted', existed: mem.delete(input.key) };
      const holds = input.ifAbsent ? !cur : input.ifVersion === undefined || cur?.version === input.ifVersion;
      if (!holds) return { kind: 'conflict', current: cur?.version ?? null };
      const version = ++counter;
      mem.set(input.key, { value: input.value, version });
      lastSeen.set(input.key, version);
      return { kind: 'written', version };
    },
  );
}

/** Replaces the output of the last completed read with a value nobody wrote: the history is then not linearizable. */
function corrupt(
  history: Operation<RegisterInput<number>, RegisterOutput<number>>[],
): Operation<RegisterInput<number>, RegisterOutput<number>>[] {
  const out = [...history];
  const i = out.findLastIndex((op) => op.input.op === 'read' && op.complete !== undefined);
  out[i] = { ...out[i]!, output: { value: -1 } };
  return out;
}

async function row<S, I, O>(
  label: string,
  model: SequentialModel<S, I, O>,
  history: Operation<I, O>[],
  expected: LinearizabilityResult<S, I, O>['verdict'],
): Promise<BenchRow> {
  let result: LinearizabilityResult<S, I, O> | undefined;
  const r = await measure(
    label,
    history.length,
    async () => void (result = checkLinearizability(model, history, { timeoutMs: 120_000 })),
  );
  if (result?.verdict !== expected)
    throw new Error(`${label}: expected ${expected}, the checker said ${result?.verdict}`);
  return { ...r, notes: `${result.verdict}, ${result.partitions} partition(s), ${result.steps} search steps` };
}

/** The linearizability checker on histories of 10,000 operations (times `scale`): many keys, and one hot key. */
export const linearizabilityBenchmark: Benchmark = {
  name: 'linearizability',
  description: 'linearizability checker: 10,000-operation histories, many keys x clients and one hot key',
  async run({ scale, progress }) {
    const operations = Math.round(10_000 * scale);
    const register = registerModel(0);
    const rows: BenchRow[] = [];
    const cases: Array<() => Promise<BenchRow>> = [
      () =>
        row(
          'record CAS, 100 keys x 16 clients',
          recordCasModel,
          recordHistory({ operations, clients: 16, keys: 100, pending: 0 }, 1),
          'linearizable',
        ),
      () =>
        row(
          'register+CAS, 100 keys x 16 clients',
          register,
          registerHistory({ operations, clients: 16, keys: 100, pending: 0 }, 2),
          'linearizable',
        ),
      () =>
        row(
          'register+CAS, 1 hot key, 4 clients',
          register,
          registerHistory({ operations, clients: 4, keys: 1, pending: 0 }, 3),
          'linearizable',
        ),
      () =>
        row(
          'register+CAS, 1 hot key, 8 clients',
          register,
          registerHistory({ operations, clients: 8, keys: 1, pending: 0 }, 4),
          'linearizable',
        ),
      () =>
        row(
          'record CAS, 1 hot key, 8 clients',
          recordCasModel,
          recordHistory({ operations, clients: 8, keys: 1, pending: 0 }, 5),
          'linearizable',
        ),
      () =>
        row(
          'register+CAS, 1 hot key, 8 clients, 1% pending',
          register,
          registerHistory({ operations, clients: 8, keys: 1, pending: 0.01 }, 6),
          'linearizable',
        ),
      () =>
        row(
          'register+CAS, 1 hot key, 8 clients, bad last read',
          register,
          corrupt(registerHistory({ operations, clients: 8, keys: 1, pending: 0 }, 4)),
          'not-linearizable',
        ),
    ];
    for (const c of cases) {
      const r = await c();
      progress(`${r.label}: ${r.ms.toFixed(0)} ms`);
      rows.push(r);
    }
    const ops = (label: string) => rows.find((r) => r.label === label)?.opsPerSec ?? 0;
    return {
      name: 'linearizability',
      rows,
      ratios: {
        'hot key 8 clients / 100 keys (register ops/s)':
          ops('register+CAS, 1 hot key, 8 clients') / ops('register+CAS, 100 keys x 16 clients'),
      },
    };
  },
};
