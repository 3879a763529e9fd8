import { randomBytes } from 'node:crypto';
import {
  createRegistry,
  ManualClock,
  openRuntime,
  type Adapter,
  type AnySurface,
  type Registry,
  type Runtime,
} from '@stateproof/core';
import type { ConformanceTarget } from './conformance-target.js';
import { manualTime, realTime, type TimeControl } from './time-control.js';
import { gateLogAppends, type AppendGate } from './append-gate.js';
import { traceAdapter } from './traced-adapter.js';
import { writeDelayControl, type WriteDelayControl } from './write-delay.js';

/** One isolated arrangement for a property run: a namespace, its surfaces, a runtime, and peers on demand. */
export interface Fixture<S extends readonly AnySurface[]> {
  /** The fixture's own namespace. */
  readonly namespace: string;
  /** The clock of the fixture's runtimes: a manual one, or the real one of a server-clock adapter. */
  readonly time: TimeControl;
  /** The surfaces, in the order `define` returned them. */
  readonly surfaces: S;
  /** A runtime over the first adapter instance. */
  readonly rt: Runtime;
  /**
   * The first adapter instance as the runtime guards it, for direct store calls that bypass the
   * handles (capability cross-checks).
   */
  readonly adapter: Adapter;
  /**
   * Delays lease-judged writes of every instance: only in a fixture opened with `{ writeDelay: true }`
   * on a target that declares `writeDelay` (elsewhere the adapter runs its production path).
   */
  readonly writeDelay: WriteDelayControl;
  /** Another runtime on another adapter instance over the same namespace: another process on the same backend. */
  peer(): Promise<Runtime>;
  /**
   * A clean restart: closes every runtime of the fixture (the namespace is kept) and opens a new
   * one on a fresh adapter instance over the same namespace, as a process that starts again does.
   */
  restart(): Promise<Runtime>;
  /** Closes every runtime and disposes the namespace. */
  close(): Promise<void>;
}

/** Creates fixtures for one target and class. */
export class FixtureFactory {
  private counter = 0;
  private readonly run = randomBytes(4).toString('hex');

  /** A factory of fixtures on `target`. */
  constructor(
    /** The target every fixture opens adapters of. */
    readonly target: ConformanceTarget,
    /** Whether the adapter takes an injectable clock. */
    private readonly injectable: boolean,
    /** Declared tolerance of expiry for server clocks. */
    private readonly slackMs: number,
    /** Ask a server-clock adapter to take the manual clock instead (see ConformanceTarget.clockInjection). */
    private readonly injectClock = false,
  ) {}

  /** A fresh namespace, unique in this process and run. */
  namespace(): string {
    return `sp-conf-${this.run}-${++this.counter}`;
  }

  /** Opens a fixture whose surfaces `define` creates in a fresh registry. */
  async open<const S extends readonly AnySurface[]>(
    define: (registry: Registry) => S,
    options: {
      readonly writeDelay?: boolean;
      /** Every log store of every instance appends through this gate (telemetry's slow, blocked or absent backend). */
      readonly appendGate?: AppendGate;
    } = {},
  ): Promise<Fixture<S>> {
    const namespace = this.namespace();
    const clock = new ManualClock();
    const time = this.injectable ? manualTime(clock) : realTime(this.slackMs);
    const writeDelay = writeDelayControl(clock, this.injectable);
    const registry = createRegistry();
    const surfaces = define(registry);
    const runtimes: Runtime[] = [];
    const start = async (): Promise<Runtime> => {
      // Traced, so that an error escaping a property is reported against the operation that raised it.
      const created = await this.target.create({
        namespace,
        clock,
        ...(this.injectClock ? { injectClock: true } : {}),
        ...(options.writeDelay && this.target.writeDelay ? { writeDelay: writeDelay.hook } : {}),
      });
      const adapter = traceAdapter(options.appendGate ? gateLogAppends(created, options.appendGate) : created);
      // A runtime owns its adapter only once it opened: a refused start must not leak the adapter.
      const rt = await openRuntime({
        adapter,
        app: 'conformance',
        deployment: 'run',
        mode: 'enforce',
        registry,
        surfaces,
        maintenanceIntervalMs: false,
        logger: { warn: () => undefined },
      }).catch(async (error: unknown) => {
        await adapter.close().catch(() => undefined);
        throw error;
      });
      runtimes.push(rt);
      return this.target.wrapRuntime ? this.target.wrapRuntime(rt) : rt;
    };
    const target = this.target;
    // A fixture that fails to open leaves nothing behind in the backend either.
    const rt = await start().catch(async (error: unknown) => {
      await Promise.resolve(target.dispose?.(namespace)).catch(() => undefined);
      throw error;
    });
    return {
      namespace,
      time,
      surfaces,
      rt,
      adapter: rt.adapter,
      writeDelay,
      peer: start,
      async restart() {
        await Promise.all(runtimes.splice(0).map((r) => r.close()));
        return start();
      },
      async close() {
        await Promise.allSettled(runtimes.map((r) => r.close()));
        await target.dispose?.(namespace);
      },
    };
  }
}
