import {
  BackendUnavailableError,
  type AnySurface,
  type EmitStats,
  type LogHandle,
  type Runtime,
} from '@stateproof/core';
import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import { MemoryAdapter } from '../../memory-adapter.js';
import { mutantTarget } from './mutant-target.js';

/** A telemetry log handle as a broken runtime would hand it out. */
type TelemetryHandle = LogHandle<unknown>;

/**
 * The memory target whose runtime hands out `breakHandle(handle)` for every telemetry log: the
 * emit buffer lives in core, so these bugs are planted in the runtime (through `wrapRuntime`), not
 * in the adapter. One broken handle per real handle, so that state a broken emit keeps survives
 * repeated `use` calls as the real buffer does.
 */
function telemetryMutantTarget(
  name: string,
  breakHandle: (h: TelemetryHandle) => Partial<TelemetryHandle>,
): ConformanceTarget {
  const broken = new WeakMap<object, TelemetryHandle>();
  const wrapHandle = (h: TelemetryHandle): TelemetryHandle => {
    let b = broken.get(h);
    if (!b) {
      const overrides = breakHandle(h);
      b = new Proxy(h, {
        get(target, property) {
          if (Object.prototype.hasOwnProperty.call(overrides, property))
            return (overrides as Record<PropertyKey, unknown>)[property];
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      broken.set(h, b);
    }
    return b;
  };
  return {
    ...mutantTarget(name, MemoryAdapter),
    wrapRuntime: (rt: Runtime): Runtime =>
      new Proxy(rt, {
        get(target, property) {
          const value: unknown = Reflect.get(target, property, target);
          if (property === 'use')
            return (surface: AnySurface) => {
              const h = target.use(surface);
              return surface.kind === 'log' && surface.class === 'telemetry' ? wrapHandle(h as TelemetryHandle) : h;
            };
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }),
  };
}

/**
 * An emit buffer without a bound: entries are appended one by one in the background, in order, and
 * retried through an outage, but a full buffer never drops, so `pending` grows without limit.
 */
class UnboundedEmits {
  private readonly queued: Array<{ stream: string; value: unknown }> = [];
  private inFlight = 0;
  private appended = 0;
  private dropped = 0;
  private flushing = 0;
  private draining: Promise<void> | undefined;

  constructor(private readonly h: TelemetryHandle) {}

  emit(stream: string, value: unknown): void {
    this.queued.push({ stream, value });
    this.draining ??= this.drain();
  }

  async flush(): Promise<void> {
    this.flushing++;
    try {
      while (this.draining) await this.draining;
    } finally {
      this.flushing--;
    }
  }

  stats(): EmitStats {
    return { appended: this.appended, dropped: this.dropped, pending: this.queued.length + this.inFlight };
  }

  private async drain(): Promise<void> {
    await Promise.resolve();
    try {
      while (this.queued.length > 0) {
        const next = this.queued.shift() as { stream: string; value: unknown };
        this.inFlight = 1;
        try {
          await this.h.append(next.stream, next.value);
          this.appended++;
        } catch (error) {
          if (error instanceof BackendUnavailableError && this.flushing === 0) {
            this.queued.unshift(next);
            await new Promise((resolve) => setTimeout(resolve, 20));
          } else this.dropped++;
        } finally {
          this.inFlight = 0;
        }
      }
    } finally {
      this.draining = undefined;
    }
  }
}

/** Mutants of core's telemetry emit path (spec/contract/classes.md, TEL-002 and TEL-003). */
export const TELEMETRY_MUTANTS: readonly Mutant[] = [
  {
    name: 'telemetry-emit-awaits-backend',
    kind: 'log',
    bug: 'emit appends through the backend and returns its promise: a caller would wait for a slow, blocked or absent backend',
    breaks: ['TEL-002'],
    properties: ['log/telemetry-non-blocking'],
    target: () =>
      telemetryMutantTarget('telemetry-emit-awaits-backend', (h) => ({
        emit: ((stream: string, value: unknown) => h.append(stream, value)) as unknown as TelemetryHandle['emit'],
      })),
  },
  {
    name: 'telemetry-drops-uncounted',
    kind: 'log',
    bug: 'stats() never counts a drop: entries a full buffer dropped vanish from the accounting',
    breaks: ['TEL-003'],
    properties: ['log/telemetry-drops'],
    target: () =>
      telemetryMutantTarget('telemetry-drops-uncounted', (h) => ({
        stats: () => ({ ...h.stats(), dropped: 0 }),
      })),
  },
  {
    name: 'telemetry-unbounded-buffer',
    kind: 'log',
    bug: 'the emit buffer never drops: during an outage pending grows past the declared buffer, without bound',
    breaks: ['TEL-003'],
    properties: ['log/telemetry-buffer-bound'],
    target: () =>
      telemetryMutantTarget('telemetry-unbounded-buffer', (h) => {
        const buffer = new UnboundedEmits(h);
        return {
          emit: (stream: string, value: unknown) => buffer.emit(stream, value),
          flush: () => buffer.flush(),
          stats: () => buffer.stats(),
        };
      }),
  },
];
