import { describe, expect, it } from 'vitest';
import {
  checkLinearizability,
  describeResult,
  registerModel,
  UNKNOWN,
  type Operation,
  type RegisterInput,
  type RegisterOutput,
  type SequentialModel,
} from '@stateproof/conformance';

type Op = Operation<RegisterInput<number>, RegisterOutput<number>>;
const model = registerModel(0);

const write = (client: number, value: number, invoke: number, complete?: number, key = 'x'): Op => ({
  client,
  input: { op: 'write', key, value },
  invoke,
  complete,
  output: { ok: true },
});
const read = (client: number, value: number, invoke: number, complete?: number, key = 'x'): Op => ({
  client,
  input: { op: 'read', key },
  invoke,
  complete,
  output: { value },
});
const cas = (
  client: number,
  expect: number,
  value: number,
  swapped: boolean,
  invoke: number,
  complete?: number,
  key = 'x',
): Op => ({ client, input: { op: 'cas', key, expect, value }, invoke, complete, output: { swapped } });

/** Checks that a witness linearization respects real time and replays through the model. */
function expectValidWitness<S, I, O>(
  m: SequentialModel<S, I, O>,
  parts: readonly (readonly Operation<I, O>[])[],
): void {
  for (const order of parts) {
    let state = m.init();
    order.forEach((op, k) => {
      // No later operation in the order may have returned before this one was invoked.
      for (const later of order.slice(k + 1))
        expect(later.complete === undefined || later.complete >= op.invoke).toBe(true);
      const r = m.step(state, op.input, op.complete === undefined ? UNKNOWN : (op.output as O));
      expect(r.ok).toBe(true);
      if (r.ok) state = r.next;
    });
  }
}

describe('checkLinearizability: registers', () => {
  it('accepts sequential and overlapping histories, with a witness that replays', () => {
    const history = [write(0, 1, 0, 10), read(1, 0, 2, 7), read(2, 1, 5, 15), write(0, 2, 20, 30), read(1, 2, 31, 32)];
    const r = checkLinearizability(model, history);
    expect(r.verdict).toBe('linearizable');
    if (r.verdict !== 'linearizable') return;
    expect(r.linearizations.flat()).toHaveLength(history.length);
    expectValidWitness(model, r.linearizations);
  });

  it('rejects a stale read after the write returned, and explains it', () => {
    const w = write(0, 1, 0, 5);
    const stale = read(1, 0, 6, 10);
    const r = checkLinearizability(model, [w, stale]);
    expect(r.verdict).toBe('not-linearizable');
    if (r.verdict !== 'not-linearizable') return;
    expect(r.failure.prefix).toEqual([w]);
    expect(r.failure.state).toBe(1);
    expect(r.failure.blocked).toBe(stale);
    expect(r.failure.unplaced.map((u) => u.operation)).toEqual([stale]);
    expect(r.failure.unplaced[0]?.why).toContain('holds 1');
    const text = describeResult(model, r);
    expect(text).toContain('not linearizable');
    expect(text).toContain('read(x) -> 0');
    expect(text).toContain('must come next');
  });

  // Porcupine's register test: reads overlapping a long write may see either value, in a consistent order.
  it('accepts reads that overlap a write and see old then new', () => {
    const r = checkLinearizability(model, [write(0, 100, 0, 100), read(1, 100, 25, 75), read(2, 0, 30, 60)]);
    expect(r.verdict).toBe('linearizable');
  });

  it('rejects the new-old inversion: a read of the old value after a read of the new one returned', () => {
    const r = checkLinearizability(model, [write(0, 100, 0, 100), read(1, 100, 25, 75), read(2, 0, 80, 90)]);
    expect(r.verdict).toBe('not-linearizable');
  });

  it('rejects a value nobody wrote', () => {
    expect(checkLinearizability(model, [write(0, 1, 0, 10), read(1, 7, 0, 10)]).verdict).toBe('not-linearizable');
  });

  it('counts operations that touch in time as concurrent', () => {
    // read returns the old value and is invoked exactly when the write returns: a tie, so it may go first.
    expect(checkLinearizability(model, [write(0, 1, 0, 5), read(1, 0, 5, 9)]).verdict).toBe('linearizable');
  });

  it('checks keys independently and names the failing partition', () => {
    const history = [write(0, 1, 0, 5, 'a'), read(1, 1, 6, 7, 'a'), write(0, 2, 0, 5, 'b'), read(1, 0, 6, 7, 'b')];
    const r = checkLinearizability(model, history);
    expect(r.partitions).toBe(2);
    expect(r.verdict).toBe('not-linearizable');
    if (r.verdict === 'not-linearizable') expect(r.failure.operations.every((op) => op.input.key === 'b')).toBe(true);
  });

  it('accepts the empty history', () => {
    expect(checkLinearizability(model, []).verdict).toBe('linearizable');
  });

  it('refuses an operation that completes before it is invoked', () => {
    expect(() => checkLinearizability(model, [write(0, 1, 10, 5)])).toThrow(RangeError);
  });
});

describe('checkLinearizability: compare-and-set registers', () => {
  it('accepts one winner among concurrent CAS from the same value', () => {
    expect(
      checkLinearizability(model, [cas(0, 0, 1, true, 0, 10), cas(1, 0, 2, false, 0, 10), read(2, 1, 11, 12)]).verdict,
    ).toBe('linearizable');
  });

  it('rejects two winners (a lost update)', () => {
    const r = checkLinearizability(model, [cas(0, 0, 1, true, 0, 10), cas(1, 0, 2, true, 0, 10)]);
    expect(r.verdict).toBe('not-linearizable');
    if (r.verdict === 'not-linearizable') {
      expect(r.failure.prefix).toHaveLength(1);
      expect(r.failure.unplaced.some((u) => u.why.includes('swapped'))).toBe(true);
    }
  });

  it('rejects a failed CAS when nothing could have changed the value', () => {
    expect(checkLinearizability(model, [cas(0, 0, 1, false, 0, 10)]).verdict).toBe('not-linearizable');
  });

  it('needs backtracking: only one of several orders works', () => {
    // Four concurrent ops; the read of 3 forces write 3 last, and the CAS 1=>2 must sit between write 1 and write 3.
    const history = [
      write(0, 1, 0, 50),
      cas(1, 1, 2, true, 0, 50),
      write(2, 3, 0, 50),
      read(3, 2, 0, 50),
      read(4, 3, 60, 70),
    ];
    const r = checkLinearizability(model, history);
    expect(r.verdict).toBe('linearizable');
    if (r.verdict === 'linearizable') expectValidWitness(model, r.linearizations);
  });
});

describe('checkLinearizability: calls that never returned', () => {
  it('lets a pending write take effect', () => {
    expect(checkLinearizability(model, [write(0, 1, 0), read(1, 1, 5, 6)]).verdict).toBe('linearizable');
  });

  it('lets a pending write never take effect', () => {
    expect(checkLinearizability(model, [write(0, 1, 0), read(1, 0, 5, 6), read(1, 0, 7, 8)]).verdict).toBe(
      'linearizable',
    );
  });

  it('does not let a pending write take effect before it was invoked', () => {
    expect(checkLinearizability(model, [read(1, 1, 0, 4), write(0, 1, 5)]).verdict).toBe('not-linearizable');
  });

  it('does not let a pending write be undone', () => {
    expect(checkLinearizability(model, [write(0, 1, 0), read(1, 1, 5, 6), read(1, 0, 7, 8)]).verdict).toBe(
      'not-linearizable',
    );
  });

  it('ignores the recorded output of a pending call', () => {
    // A bogus output on a call with no completion time is never looked at.
    expect(checkLinearizability(model, [cas(0, 5, 1, true, 0), read(1, 0, 1, 2)]).verdict).toBe('linearizable');
  });
});

describe('checkLinearizability: models with several possible next states', () => {
  // A counter whose increment of unknown size: a pending "add" may have added 1 or 2.
  type In = { op: 'add' } | { op: 'get' };
  const fuzzy: SequentialModel<number, In, number> = {
    init: () => 0,
    step: (s, input, out) => {
      if (input.op === 'add')
        return out === UNKNOWN ? { ok: true, next: s + 1, others: [s + 2] } : { ok: true, next: s + (out as number) };
      return out === UNKNOWN || out === s
        ? { ok: true, next: s }
        : { ok: false, why: `got ${String(out)}, counter is ${s}` };
    },
  };
  it('tries the other states when the first leads nowhere', () => {
    const history: Operation<In, number>[] = [
      { client: 0, input: { op: 'add' }, invoke: 0 },
      { client: 1, input: { op: 'get' }, invoke: 5, complete: 6, output: 2 },
    ];
    expect(checkLinearizability(fuzzy, history).verdict).toBe('linearizable');
    expect(checkLinearizability(fuzzy, [history[0]!, { ...history[1]!, output: 3 }]).verdict).toBe('not-linearizable');
  });
});

describe('checkLinearizability: timeouts', () => {
  it("answers 'unknown' instead of hanging on a history with too many orders", () => {
    // 40 overlapping writes of distinct values, then a read of a value nobody wrote: every subset is a distinct memo entry.
    const history: Op[] = Array.from({ length: 40 }, (_, i) => write(i, i + 1, 0, 100));
    history.push(read(99, 12345, 200, 201));
    const t0 = performance.now();
    const r = checkLinearizability(model, history, { timeoutMs: 100 });
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(r.verdict).toBe('unknown');
    if (r.verdict === 'unknown') expect(r.reason).toContain('timed out');
  });
});

describe('checkLinearizability: long histories', () => {
  /** 8 clients write and read one register; each call takes effect at a seeded random instant inside its interval. */
  function hotKey(n: number): Op[] {
    let seed = 12345;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const clock = new Array<number>(8).fill(0);
    const planned = Array.from({ length: n }, (_, k) => {
      const client = k % 8;
      const invoke = clock[client]! + rnd();
      const length = 1 + rnd() * 10;
      clock[client] = invoke + length;
      return { client, invoke, complete: invoke + length, at: invoke + rnd() * length, write: rnd() < 0.5, k };
    });
    let value = 0;
    const out = new Map<number, Op>();
    for (const p of [...planned].sort((a, b) => a.at - b.at)) {
      if (p.write) value = p.k + 1;
      out.set(
        p.k,
        p.write ? write(p.client, p.k + 1, p.invoke, p.complete) : read(p.client, value, p.invoke, p.complete),
      );
    }
    return planned.map((p) => out.get(p.k)!);
  }

  it('accepts 2,000 operations on one hot key from 8 clients, and rejects them once one read in the middle is stale', () => {
    const history = hotKey(2000);
    expect(checkLinearizability(model, history).verdict).toBe('linearizable');
    // The first read past the middle returns the first write's value, overwritten long before it was invoked.
    const i = history.findIndex((op, k) => k > 1000 && op.input.op === 'read');
    history[i] = { ...history[i]!, output: { value: 1 } };
    const r = checkLinearizability(model, history);
    expect(r.verdict).toBe('not-linearizable');
    if (r.verdict === 'not-linearizable') {
      expect(r.failure.prefix.length).toBeGreaterThan(900);
      expect(r.failure.unplaced.map((u) => u.operation)).toContain(history[i]);
    }
  });
});
