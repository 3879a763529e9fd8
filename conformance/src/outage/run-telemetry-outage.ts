import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { createRegistry, log, openRuntime, systemClock, type LogSurface } from '@stateproof/core';
import type { ConformanceTarget } from '../environment/conformance-target.js';
import { createTargetAdapter } from '../suite/target-error.js';

/** Options of {@link runTelemetryOutage}. */
export interface TelemetryOutageOptions {
  /** The target; it must have `server` (a harness-owned server the run may kill). */
  readonly target: ConformanceTarget;
  /** The emit buffer of the telemetry log under test (default 64). */
  readonly buffer?: number;
  /** Entries emitted while the backend is down (default 4 × buffer). */
  readonly emits?: number;
  /** How long to wait, with the backend back, for the buffer to drain (default 60 s). */
  readonly recoverMs?: number;
  /** Called with each step of the run, for a progress display. */
  readonly onProgress?: (event: TelemetryOutageProgress) => void;
}

/** What the outage run reports while it works. */
export type TelemetryOutageProgress =
  | {
      /** The server is down and the burst of emits returned. */
      readonly type: 'down';
      /** Entries emitted so far. */
      readonly emitted: number;
      /** Entries the buffer dropped so far. */
      readonly dropped: number;
      /** Entries waiting in the buffer. */
      readonly pending: number;
    }
  | {
      /** The server is back. */
      readonly type: 'back';
      /** How long it was down, in ms. */
      readonly downMs: number;
    }
  | {
      /** The run is over. */
      readonly type: 'done';
      /** Its verdict. */
      readonly status: 'pass' | 'fail';
      /** How many violations it found. */
      readonly violations: number;
    };

/** What the outage run found: a crash entry of the certificate (scenario `backend-outage/log`). */
export interface TelemetryOutageReport {
  /** pass when no violation was found. */
  readonly status: 'pass' | 'fail';
  /** What was found broken; empty when it passed. */
  readonly violations: readonly string[];
  /** Entries emitted in all, during the outage, and what the counters said at the end. */
  readonly emitted: number;
  /** Entries emitted while the server was down. */
  readonly emittedDuringOutage: number;
  /** Entries appended, by the log's counters at the end. */
  readonly appended: number;
  /** Entries dropped, by the log's counters at the end. */
  readonly dropped: number;
  /** How long the server was down, in ms. */
  readonly downMs: number;
  /** Time spent, in ms. */
  readonly durationMs: number;
}

const STREAM = 'events';

/**
 * Telemetry under an outage (spec/contract/classes.md, TEL-002..TEL-004), against a real server the
 * run kills: entries emitted before are appended; with the server killed, a burst of emits returns
 * without waiting (nothing appended, the buffer at its bound, the drop counter exactly the entries
 * that did not fit); with the server back, the buffered entries drain on their own, and the stream
 * then holds the entries from before followed by exactly the retained ones, in emit order, as many
 * as `appended` says, with `appended + dropped = emitted`.
 */
export async function runTelemetryOutage(options: TelemetryOutageOptions): Promise<TelemetryOutageReport> {
  const t0 = performance.now();
  const { target } = options;
  const server = target.server;
  if (!server)
    throw new Error(`target ${target.name} has no server control: the telemetry outage needs a server it may kill`);
  const buffer = options.buffer ?? 64;
  const emits = options.emits ?? buffer * 4;
  const namespace = `sp-outage-${randomBytes(4).toString('hex')}`;
  const registry = createRegistry();
  const events = log('outage.events', {
    durability: 'telemetry',
    value: Type.Object({ n: Type.Integer() }),
    retention: { maxEntries: 1_000_000 },
    telemetry: { buffer, drop: 'newest' },
    registry,
  }) as LogSurface<{ n: number }>;
  const rt = await openRuntime({
    adapter: await createTargetAdapter(target, { namespace, clock: systemClock }),
    app: 'outage',
    deployment: 'run',
    mode: 'enforce',
    registry,
    surfaces: [events],
    maintenanceIntervalMs: false,
    logger: { warn: () => undefined },
  });
  const h = rt.use(events);
  const violations: string[] = [];
  let emitted = 0;
  let downMs = 0;
  try {
    const before = 10;
    for (let i = 0; i < before; i++) h.emit(STREAM, { n: emitted++ });
    await h.flush();
    if (h.stats().appended !== before)
      violations.push(
        `before the outage: ${h.stats().appended} of ${before} entries appended (${JSON.stringify(h.stats())})`,
      );

    const down = performance.now();
    await server.kill();
    // The burst runs without a single await: every emit returned before any backend work could start.
    for (let i = 0; i < emits; i++) h.emit(STREAM, { n: emitted++ });
    const burst = h.stats();
    if (burst.appended !== before)
      violations.push(
        `the burst of ${emits} emits during the outage saw ${burst.appended - before} appended: emit did backend work`,
      );
    // Let the drain try (and fail) against the dead server a few times.
    await sleep(500);
    const during = h.stats();
    options.onProgress?.({ type: 'down', emitted: emits, dropped: during.dropped, pending: during.pending });
    if (during.pending !== buffer)
      violations.push(
        `during the outage the buffer holds ${during.pending} entries, not its bound ${buffer}: an outage must keep what fits`,
      );
    if (during.dropped !== emits - buffer)
      violations.push(
        `during the outage ${during.dropped} entries were counted dropped; ${emits - buffer} did not fit`,
      );
    if (during.appended + during.dropped + during.pending !== emitted)
      violations.push(
        `appended + dropped + pending is ${during.appended + during.dropped + during.pending}, not the ${emitted} emitted`,
      );

    await server.restart();
    downMs = performance.now() - down;
    options.onProgress?.({ type: 'back', downMs });
    // No flush: the buffer must drain on its own once the backend is back.
    const deadline = Date.now() + (options.recoverMs ?? 60_000);
    while (h.stats().pending > 0 && Date.now() < deadline) await sleep(50);
    const after = h.stats();
    if (after.pending > 0)
      violations.push(
        `${after.pending} entries still pending ${options.recoverMs ?? 60_000} ms after the backend came back`,
      );
    if (after.appended + after.dropped + after.pending !== emitted)
      violations.push(
        `after the outage appended + dropped + pending is ${after.appended + after.dropped + after.pending}, not the ${emitted} emitted`,
      );
    if (after.dropped !== emits - buffer)
      violations.push(`after the outage ${after.dropped} entries were counted dropped; ${emits - buffer} did not fit`);
    const got: number[] = [];
    for (let from = 0; ;) {
      const page = await h.read(STREAM, { after: from, limit: 1000 });
      got.push(...page.map((e) => e.value.n));
      if (page.length < 1000) break;
      from = page.at(-1)!.seq;
    }
    // Drop newest: the retained entries are the first `buffer` of the burst, after those from before.
    const want = Array.from({ length: before + buffer }, (_, i) => i);
    if (got.length !== after.appended)
      violations.push(`the stream holds ${got.length} entries, but appended says ${after.appended}`);
    const wrong = want.findIndex((n, i) => got[i] !== n);
    if (wrong >= 0 || got.length !== want.length)
      violations.push(
        `the stream holds ${JSON.stringify(got.slice(0, 30))}${got.length > 30 ? '…' : ''}; expected the ${before} entries from before and the first ${buffer} of the burst, in emit order`,
      );
  } catch (error) {
    violations.push(`the run itself failed: ${(error as Error).message}`);
  } finally {
    await rt.close().catch(() => undefined);
    await target.dispose?.(namespace);
  }
  const status = violations.length === 0 ? 'pass' : 'fail';
  options.onProgress?.({ type: 'done', status, violations: violations.length });
  const s = h.stats();
  return {
    status,
    violations,
    emitted,
    emittedDuringOutage: emits,
    appended: s.appended,
    dropped: s.dropped,
    downMs,
    durationMs: performance.now() - t0,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
