import type { SurfaceKind } from '@stateproof/spec';
import type { WorkerMessage } from './crash-protocol.js';

/** One operation a worker reported: invoked, then acknowledged, failed, or cut off by a kill. */
export interface CrashOp {
  /** The operation id the worker gave it. */
  readonly id: string;
  /** The worker number. */
  readonly worker: number;
  /** Which start of that worker ran it (0 for the first). */
  readonly incarnation: number;
  /** The kind of the surface it ran on. */
  readonly kind: SurfaceKind;
  /** The handle method, e.g. `put` or `append`. */
  readonly op: string;
  /** The key, stream or id it acted on. */
  readonly key: string;
  /** Its arguments, as the worker reported them. */
  readonly args: unknown;
  /** invoked (no answer yet, or cut off by a kill), acknowledged, or failed with a typed error. */
  state: 'invoked' | 'acked' | 'failed';
  /** What an acknowledged operation returned. */
  result?: unknown;
  /** The error code of a failed one. */
  code?: string;
}

/**
 * Everything the workers reported, in the order it arrived. Each worker runs one operation per key
 * at a time and reports its ack before going on, so per worker and key the order is the real order.
 */
export class CrashHistory {
  /** Every operation reported, in arrival order. */
  readonly ops: CrashOp[] = [];
  private readonly byId = new Map<string, CrashOp>();
  /** Unexpected errors the workers reported (bugs, not crashes). */
  readonly errors: string[] = [];
  private acked = 0;

  /** Records a worker's message. */
  record(worker: number, incarnation: number, m: WorkerMessage): void {
    if (m.t === 'invoke') {
      const op: CrashOp = {
        id: m.id,
        worker,
        incarnation,
        kind: m.kind,
        op: m.op,
        key: m.key,
        args: m.args,
        state: 'invoked',
      };
      this.ops.push(op);
      this.byId.set(m.id, op);
    } else if (m.t === 'ack' || m.t === 'fail') {
      const op = this.byId.get(m.id);
      if (!op) return;
      if (m.t === 'ack') {
        if (op.state !== 'acked') this.acked++;
        op.state = 'acked';
        op.result = m.result;
      } else {
        op.state = 'failed';
        op.code = m.code;
      }
    } else if (m.t === 'error') this.errors.push(`worker ${worker}.${incarnation}: ${m.message}`);
  }

  /** Operations of `kind`, optionally of one `op`, in arrival order. */
  of(kind: SurfaceKind, op?: string): CrashOp[] {
    return this.ops.filter((o) => o.kind === kind && (op === undefined || o.op === op));
  }

  /** Operations acknowledged so far. */
  get acknowledged(): number {
    return this.acked;
  }
}
