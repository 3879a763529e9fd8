import type { SurfaceKind } from '@stateproof/spec';
import type { WorkerMessage } from './crash-protocol.js';

/**
 * One operation a worker reported: invoked, then acknowledged, failed, or cut off by a kill.
 *
 * Kept compact, since a long campaign records millions: its arguments and result are held as text
 * (JSON, or `~first:count` for a run of consecutive integers such as a batch's sequences) and
 * decoded when a check reads them; the kind, method and key strings are shared between operations.
 */
export class CrashOp {
  private readonly argsText: string;
  private resultText: string | undefined;
  /** invoked (no answer yet, or cut off by a kill), acknowledged, or failed with a typed error. */
  state: 'invoked' | 'acked' | 'failed' = 'invoked';
  /** The error code of a failed one. */
  code?: string;

  /**
   * @param id The operation id the worker gave it.
   * @param worker The worker number.
   * @param incarnation Which start of that worker ran it (0 for the first).
   * @param kind The kind of the surface it ran on.
   * @param op The handle method, e.g. `put` or `append`.
   * @param key The key, stream or id it acted on.
   * @param args Its arguments, as the worker reported them.
   */
  constructor(
    readonly id: string,
    readonly worker: number,
    readonly incarnation: number,
    readonly kind: SurfaceKind,
    readonly op: string,
    readonly key: string,
    args: unknown,
  ) {
    this.argsText = encode(args);
  }

  /** Its arguments, as the worker reported them (decoded anew on each read). */
  get args(): unknown {
    return decode(this.argsText);
  }

  /** What an acknowledged operation returned (decoded anew on each read). */
  get result(): unknown {
    return this.resultText === undefined ? undefined : decode(this.resultText);
  }

  /** Records the acknowledgement and what it returned. */
  acknowledge(result: unknown): void {
    this.state = 'acked';
    this.resultText = encode(result);
  }
}

/** `v` as text: `~first:count` for an array of three or more consecutive integers, else its JSON. */
function encode(v: unknown): string {
  if (Array.isArray(v) && v.length >= 3 && Number.isSafeInteger(v[0])) {
    const first = v[0] as number;
    if (v.every((x, i) => x === first + i)) return `~${first}:${v.length}`;
  }
  return v === undefined ? 'null' : JSON.stringify(v);
}

function decode(text: string): unknown {
  if (text.startsWith('~')) {
    const [first, count] = text.slice(1).split(':').map(Number) as [number, number];
    return Array.from({ length: count }, (_, i) => first + i);
  }
  return JSON.parse(text);
}

/** Strings that recur in every operation (kinds, methods, keys) stored once; unique ones (task ids) are left alone past a bound. */
class Interner {
  private readonly seen = new Map<string, string>();
  constructor(private readonly max: number) {}
  of<T extends string>(s: T): T {
    const known = this.seen.get(s);
    if (known !== undefined) return known as T;
    if (this.seen.size < this.max) this.seen.set(s, s);
    return s;
  }
}

/**
 * Everything the workers reported, in the order it arrived. Each worker runs one operation per key
 * at a time and reports its ack before going on, so per worker and key the order is the real order.
 * Indexed by kind and by kind and method as it is recorded, so that the checks never filter the whole
 * history.
 */
export class CrashHistory {
  /** Every operation reported, in arrival order. */
  readonly ops: CrashOp[] = [];
  /** Operations still waiting for their answer (an operation is looked up by id only until then). */
  private readonly pending = new Map<string, CrashOp>();
  private readonly byKind = new Map<string, CrashOp[]>();
  private readonly byMethod = new Map<string, CrashOp[]>();
  private readonly ackedByKind = new Map<string, number>();
  private readonly strings = new Interner(10_000);
  /** Unexpected errors the workers reported (bugs, not crashes). */
  readonly errors: string[] = [];
  private acked = 0;

  /** Records a worker's message. */
  record(worker: number, incarnation: number, m: WorkerMessage): void {
    if (m.t === 'invoke') {
      const s = this.strings;
      const op = new CrashOp(m.id, worker, incarnation, s.of(m.kind), s.of(m.op), s.of(m.key), m.args);
      this.ops.push(op);
      this.pending.set(m.id, op);
      push(this.byKind, op.kind, op);
      push(this.byMethod, `${op.kind}\u0000${op.op}`, op);
    } else if (m.t === 'ack' || m.t === 'fail') {
      const op = this.pending.get(m.id);
      if (!op) return;
      this.pending.delete(m.id);
      if (m.t === 'ack') {
        this.acked++;
        this.ackedByKind.set(op.kind, (this.ackedByKind.get(op.kind) ?? 0) + 1);
        op.acknowledge(m.result);
      } else {
        op.state = 'failed';
        op.code = this.strings.of(m.code);
      }
    } else if (m.t === 'error') this.errors.push(`worker ${worker}.${incarnation}: ${m.message}`);
  }

  /** Operations of `kind`, optionally of one `op`, in arrival order (the index itself: do not modify). */
  of(kind: SurfaceKind, op?: string): readonly CrashOp[] {
    return (op === undefined ? this.byKind.get(kind) : this.byMethod.get(`${kind}\u0000${op}`)) ?? [];
  }

  /** Operations acknowledged so far, of every kind or of `kind`. */
  acknowledgedOf(kind?: SurfaceKind): number {
    return kind === undefined ? this.acked : (this.ackedByKind.get(kind) ?? 0);
  }

  /** Operations acknowledged so far. */
  get acknowledged(): number {
    return this.acked;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
