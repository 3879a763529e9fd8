import {
  checkLinearizability,
  kvModel,
  recordCasModel,
  registerModel,
  type KvInput,
  type KvOutput,
  type LinearizabilityResult,
  type Operation,
  type RecordAnswer,
  type RecordCall,
  type RegisterInput,
  type RegisterOutput,
  type SequentialModel,
} from '@stateproof/conformance';
import type { Benchmark, BenchRow } from './benchmark.js';
import { baselineCheck } from './linearizability/baseline-checker.js';

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

export function registerHistory(
  shape: Shape,
  seed: number,
): Operation<RegisterInput<number>, RegisterOutput<number>>[] {
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

/** Key-value traffic with append (Porcupine's kv model): gets, puts and appends of short strings. */
export function kvHistory(shape: Shape, seed: number): Operation<KvInput, KvOutput>[] {
  const mem = new Map<string, string>();
  return simulate<KvInput, KvOutput>(
    shape,
    seed,
    (rnd, key, n) => {
      const r = rnd();
      return r < 0.5
        ? { op: 'get', key }
        : r < 0.8
          ? { op: 'append', key, value: `${n % 10}` }
          : { op: 'put', key, value: `p${n}` };
    },
    (input) => {
      const cur = mem.get(input.key) ?? '';
      if (input.op === 'get') return { value: cur };
      mem.set(input.key, input.op === 'put' ? input.value : cur + input.value);
      return { value: '' };
    },
  );
}

/**
 * The race the checker must win: a 50-client key-value history whose first partition is
 * exponentially hard yet linearizable (12 concurrent appends and a get that read them in a shuffled
 * order: about e·12! search states), then easy traffic on many keys, then a key whose get reads what
 * nobody wrote. Porcupine, checking all partitions at once, answers in milliseconds.
 */
export function raceHistory(operations: number, seed: number): Operation<KvInput, KvOutput>[] {
  const letters = Array.from({ length: 12 }, (_, i) => String.fromCharCode(97 + i));
  const rnd = random(seed);
  const shuffled = [...letters].sort(() => rnd() - 0.5);
  const hard: Operation<KvInput, KvOutput>[] = [
    ...letters.map((v, i) => ({
      client: i,
      input: { op: 'append' as const, key: 'hot', value: v },
      invoke: i * 0.01,
      complete: 5,
      output: { value: '' },
    })),
    { client: 12, input: { op: 'get', key: 'hot' }, invoke: 6, complete: 7, output: { value: shuffled.join('') } },
  ];
  const easy = kvHistory({ operations, clients: 36, keys: 1000, pending: 0 }, seed + 1).map((op) => ({
    ...op,
    client: op.client + 13,
  }));
  const bad: Operation<KvInput, KvOutput>[] = [
    { client: 49, input: { op: 'put', key: 'bad', value: 'x' }, invoke: 1, complete: 2, output: { value: '' } },
    { client: 49, input: { op: 'get', key: 'bad' }, invoke: 3, complete: 4, output: { value: 'y' } },
  ];
  return [...hard, ...easy, ...bad];
}

export function recordHistory(shape: Shape, seed: number): Operation<RecordCall, RecordAnswer>[] {
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
export function corrupt(
  history: Operation<RegisterInput<number>, RegisterOutput<number>>[],
): Operation<RegisterInput<number>, RegisterOutput<number>>[] {
  const out = [...history];
  const i = out.findLastIndex((op) => op.input.op === 'read' && op.complete !== undefined);
  out[i] = { ...out[i]!, output: { value: -1 } };
  return out;
}

/** How long the frozen baseline (the checker before this change) may take on one history. */
const BASELINE_TIMEOUT_MS = 2_000;
/** Rounds per history; current and baseline alternate which goes first, and each reports its median. */
const ROUNDS = 7;

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function row<S, I, O>(
  label: string,
  model: SequentialModel<S, I, O>,
  history: Operation<I, O>[],
  expected: LinearizabilityResult<S, I, O>['verdict'],
  ratios: Record<string, number>,
): Promise<BenchRow> {
  let result: LinearizabilityResult<S, I, O> | undefined;
  let base: ReturnType<typeof baselineCheck> | undefined;
  const current: number[] = [];
  const baseline: number[] = [];
  const runCurrent = () => {
    const t0 = performance.now();
    result = checkLinearizability(model, history, { timeoutMs: 120_000 });
    current.push(performance.now() - t0);
  };
  const runBaseline = () => {
    const t0 = performance.now();
    base = baselineCheck(model, history, BASELINE_TIMEOUT_MS);
    baseline.push(performance.now() - t0);
  };
  // Interleaved, so that neither side always runs on a warmer JIT or a quieter machine.
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      runCurrent();
      runBaseline();
    } else {
      runBaseline();
      runCurrent();
    }
  }
  if (result?.verdict !== expected)
    throw new Error(`${label}: expected ${expected}, the checker said ${result?.verdict}`);
  const ms = median(current);
  const baseMs = median(baseline);
  const timedOut = base?.verdict === 'unknown';
  ratios[`${label}: baseline / current time${timedOut ? ' (at least: the baseline gave up)' : ''}`] = baseMs / ms;
  return {
    label,
    operations: history.length,
    ms,
    opsPerSec: history.length / (ms / 1000),
    notes: `${result.verdict}, ${result.partitions} partition(s), ${result.steps} steps; baseline ${base?.verdict} in ${baseMs.toFixed(0)} ms${timedOut ? ' (gave up)' : ''}; medians of ${ROUNDS}`,
  };
}

/**
 * The linearizability checker on histories of 10,000 operations (times `scale`): registers, records
 * and key-value with append; many keys and one hot key; 4 to 50 clients; a violation at the end of a
 * hot key; and the race of a hard partition against an early violation. Each row also runs the
 * frozen baseline (the checker before partitions were searched side by side) on the same history,
 * in the same run.
 */
export const linearizabilityBenchmark: Benchmark = {
  name: 'linearizability',
  description:
    'linearizability checker: 10,000-operation histories (register, record, kv with append; many keys, hot keys, 4-50 clients), against the frozen baseline',
  async run({ scale, progress }) {
    const operations = Math.round(10_000 * scale);
    const register = registerModel(0);
    const kv = kvModel();
    const rows: BenchRow[] = [];
    const ratios: Record<string, number> = {};
    const cases: Array<() => Promise<BenchRow>> = [
      () =>
        row(
          'record CAS, 100 keys x 16 clients',
          recordCasModel,
          recordHistory({ operations, clients: 16, keys: 100, pending: 0 }, 1),
          'linearizable',
          ratios,
        ),
      () =>
        row(
          'register+CAS, 100 keys x 16 clients',
          register,
          registerHistory({ operations, clients: 16, keys: 100, pending: 0 }, 2),
          'linearizable',
          ratios,
        ),
      () =>
        row(
          'register+CAS, 1 hot key, 8 clients',
          register,
          registerHistory({ operations, clients: 8, keys: 1, pending: 0 }, 4),
          'linearizable',
          ratios,
        ),
      () =>
        row(
          'record CAS, 1 hot key, 8 clients',
          recordCasModel,
          recordHistory({ operations, clients: 8, keys: 1, pending: 0 }, 5),
          'linearizable',
          ratios,
        ),
      () =>
        row(
          'register+CAS, 1 hot key, 8 clients, 1% pending',
          register,
          registerHistory({ operations, clients: 8, keys: 1, pending: 0.01 }, 6),
          'linearizable',
          ratios,
        ),
      () =>
        row(
          'register+CAS, 1 hot key, 8 clients, bad last read',
          register,
          corrupt(registerHistory({ operations, clients: 8, keys: 1, pending: 0 }, 4)),
          'not-linearizable',
          ratios,
        ),
      () =>
        row(
          'kv append, 1000 keys x 50 clients',
          kv,
          kvHistory({ operations, clients: 50, keys: 1000, pending: 0 }, 7),
          'linearizable',
          ratios,
        ),
      () =>
        row(
          'kv append, 1 hot key, 4 clients',
          kv,
          kvHistory({ operations, clients: 4, keys: 1, pending: 0 }, 8),
          'linearizable',
          ratios,
        ),
      () =>
        row(
          'kv append, 10 hot keys x 20 clients',
          kv,
          kvHistory({ operations, clients: 20, keys: 10, pending: 0 }, 9),
          'linearizable',
          ratios,
        ),
      () =>
        row(
          'kv 50 clients: hard partition first, violation later',
          kv,
          raceHistory(operations, 10),
          'not-linearizable',
          ratios,
        ),
    ];
    for (const c of cases) {
      const r = await c();
      progress(`${r.label}: ${r.ms.toFixed(0)} ms (${r.notes})`);
      rows.push(r);
    }
    return { name: 'linearizability', rows, ratios };
  },
};
