import { Type } from '@sinclair/typebox';
import { log, type LogHandle, type LogSurface, type Registry } from '@stateproof/core';
import type { DurabilityClass } from '@stateproof/spec';

/** The streams telemetry properties emit to: a few, so that order is checked per stream (TEL-004). */
export const TELEMETRY_STREAMS = ['a', 'b', 'c'] as const;

/** What a telemetry property declares of its surface; what it leaves out gets core's defaults. */
export interface TelemetryShape {
  /** Entries the emit buffer holds (default 10 000). */
  readonly buffer?: number;
  readonly drop?: 'newest' | 'oldest';
  /** Retention by count, the bound the class requires (TEL-001); large unless a property checks it. */
  readonly maxEntries?: number;
}

/** A telemetry log of integers (the index of each emit, so that every entry is told apart). */
export function defineTelemetryLog(
  registry: Registry,
  cls: DurabilityClass,
  shape: TelemetryShape = {},
  id = 'conformance.telemetry',
): LogSurface<number> {
  const telemetry =
    shape.buffer === undefined && shape.drop === undefined
      ? {}
      : {
          telemetry: {
            ...(shape.buffer === undefined ? {} : { buffer: shape.buffer }),
            ...(shape.drop ? { drop: shape.drop } : {}),
          },
        };
  return log(id, {
    durability: cls,
    value: Type.Integer(),
    retention: { maxEntries: shape.maxEntries ?? 1000 },
    ...telemetry,
    registry,
  }) as LogSurface<number>;
}

/** Every retained entry of `stream`, oldest first, paging through reads from the oldest retained one. */
export async function readStream(h: LogHandle<number>, stream: string): Promise<number[]> {
  const { first } = await h.info(stream);
  if (first === null) return [];
  const out: number[] = [];
  let after = first - 1;
  for (;;) {
    const page = await h.read(stream, { after, limit: 1000 });
    if (page.length === 0) return out;
    for (const e of page) out.push(e.value);
    after = (page[page.length - 1] as { seq: number }).seq;
  }
}

/** `values` split by stream, each in emit order: what the backend must hold per stream (TEL-004). */
export function byStream(
  values: ReadonlyArray<{ readonly stream: string; readonly value: number }>,
): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const stream of TELEMETRY_STREAMS) out.set(stream, []);
  for (const v of values) (out.get(v.stream) ?? out.set(v.stream, []).get(v.stream))?.push(v.value);
  return out;
}

/** One macrotask: lets the background drain of the emit buffer take its next step. */
export const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (polling) until `what` holds; false when `ms` passed first, so the caller reports what it saw. */
export async function waitUntil(what: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) return false;
    await tick(5);
  }
  return true;
}
