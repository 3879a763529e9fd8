import { BackendUnavailableError, InvalidOptionsError, type Adapter, type LogStore } from '@stateproof/core';

/** What the gated backend does with a log append: take it, hold it, refuse it as unreachable, or refuse it for good. */
export type GateMode = 'open' | 'blocked' | 'absent' | 'refusing';

/**
 * Puts a log backend in a state a telemetry property needs (TEL-002): open, blocked (appends hang
 * until the gate opens), absent (appends fail with STATEPROOF_BACKEND_UNAVAILABLE, retryable) or
 * refusing (appends fail for good: a non-retryable error), optionally slow; it counts the appends that reached the backend, so a property can tell whether
 * any started while `emit` ran.
 */
export class AppendGate {
  private mode: GateMode = 'open';
  private delayMs = 0;
  private readonly waiting: Array<() => void> = [];
  /** Appends that reached the gate (started backend work). */
  started = 0;
  /** Entries the backend took through the gate. */
  taken = 0;

  /** Appends hang until {@link open}. */
  block(): void {
    this.mode = 'blocked';
  }

  /** Appends fail as an unreachable backend does, with nothing applied. */
  fail(): void {
    this.mode = 'absent';
  }

  /** Appends fail for good (a non-retryable error), with nothing applied. */
  refuse(): void {
    this.mode = 'refusing';
  }

  /** Every append waits `ms` before it reaches the backend. */
  slow(ms: number): void {
    this.delayMs = ms;
  }

  /** Appends go through (at the set delay); held ones are released. */
  open(): void {
    this.mode = 'open';
    for (const release of this.waiting.splice(0)) release();
  }

  /** The backend's append of `count` entries, through the gate. */
  async pass<T>(count: number, append: () => Promise<T>): Promise<T> {
    this.started++;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    while (this.mode === 'blocked') await new Promise<void>((r) => this.waiting.push(r));
    if (this.mode === 'absent') throw new BackendUnavailableError('the backend is unreachable (gated by the suite)');
    if (this.mode === 'refusing')
      throw new InvalidOptionsError('the backend refuses the append for good (gated by the suite)', { path: 'values' });
    const out = await append();
    this.taken += count;
    return out;
  }
}

/** `adapter` with the `append` of every log store it opens going through `gate`. */
export function gateLogAppends<A extends Adapter>(adapter: A, gate: AppendGate): A {
  return new Proxy(adapter, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property !== 'openLog') return property === 'constructor' ? value : value.bind(target);
      return async (...args: unknown[]) => {
        const store = (await (value as (...a: unknown[]) => Promise<LogStore>).apply(target, args)) as LogStore;
        return new Proxy(store, {
          get(s, p) {
            const v: unknown = Reflect.get(s, p, s);
            if (p === 'append')
              return (stream: string, values: readonly string[]) =>
                gate.pass(values.length, () => (v as LogStore['append']).call(s, stream, values));
            return typeof v === 'function' && p !== 'constructor' ? v.bind(s) : v;
          },
        });
      };
    },
  });
}
