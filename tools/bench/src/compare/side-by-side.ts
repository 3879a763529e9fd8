import type { BenchRow } from '../benchmark.js';
import { concurrently, load1, median, perSecond, rotations } from '../postgres/measure.js';

/** One operation under test, as stateproof does it and as an application on the raw driver does. */
export interface SideBySideWorkload {
  readonly name: string;
  readonly stateproof: (i: number) => Promise<unknown>;
  readonly raw: (i: number) => Promise<unknown>;
}

/** How a side-by-side comparison runs and how it names its rows. */
export interface SideBySideOptions {
  /** Operations per side per round. */
  readonly operations: number;
  /** Timed rounds (each side once per round, in rotating order). */
  readonly rounds: number;
  /** Concurrent callers of each side. */
  readonly callers: number;
  /** Untimed operations per side before the first round (stateproof's at least `keys`, so every key exists). */
  readonly warmup: number;
  readonly keys: number;
  /** What the rows say of the connections (`4 callers on 4 connections`). */
  readonly connections: string;
  /** The row label of a side for a workload. */
  readonly label: (side: 'stateproof' | 'raw', workload: string) => string;
  /** The key of the ratio of a workload (`stateproof/raw pg record get`). */
  readonly ratioKey: (workload: string) => string;
  /** The raw side's name in progress lines (`raw pg`). */
  readonly rawName: string;
  readonly progress: (line: string) => void;
}

/**
 * Runs each workload on both sides, warmed up, then in rounds where the sides alternate in rotating
 * order, and reports the median rates and the median of the per-round ratios (each round runs both
 * sides back to back, so a ratio is taken under the same conditions), with client CPU per operation.
 * Shared by the Postgres and Redis record and log benchmarks.
 */
export async function compareSideBySide(
  workloads: readonly SideBySideWorkload[],
  o: SideBySideOptions,
): Promise<{ rows: BenchRow[]; ratios: Record<string, number> }> {
  for (const w of workloads) {
    await concurrently(Math.max(o.warmup, o.keys), o.callers, w.stateproof);
    await concurrently(o.warmup, o.callers, w.raw);
  }
  const rows: BenchRow[] = [];
  const ratios: Record<string, number> = {};
  for (const w of workloads) {
    const rates: Record<'stateproof' | 'raw', number[]> = { stateproof: [], raw: [] };
    // Client CPU (this process: the handle, codec, adapter and driver; not the server) per operation, in µs.
    const cpu: Record<'stateproof' | 'raw', number[]> = { stateproof: [], raw: [] };
    const loads: number[] = [];
    for (const sequence of rotations(['stateproof', 'raw'] as const, o.rounds)) {
      for (const side of sequence) {
        loads.push(load1());
        const c0 = process.cpuUsage();
        const ms = await concurrently(o.operations, o.callers, w[side]);
        const c = process.cpuUsage(c0);
        rates[side].push(perSecond(o.operations, ms));
        cpu[side].push((c.user + c.system) / o.operations);
      }
    }
    const sp = median(rates.stateproof);
    const raw = median(rates.raw);
    const perRound = rates.stateproof.map((r, i) => r / (rates.raw[i] as number));
    const ratio = median(perRound);
    const range = `${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}`;
    const common = `median of ${o.rounds} rounds of ${o.operations}, ${o.connections}, load ${Math.min(...loads)}–${Math.max(...loads)}`;
    const spCpu = median(cpu.stateproof);
    const rawCpu = median(cpu.raw);
    rows.push({
      label: o.label('stateproof', w.name),
      operations: o.operations,
      ms: (o.operations / sp) * 1000,
      opsPerSec: sp,
      notes: `${common}; client CPU ${spCpu.toFixed(0)} µs/op`,
    });
    rows.push({
      label: o.label('raw', w.name),
      operations: o.operations,
      ms: (o.operations / raw) * 1000,
      opsPerSec: raw,
      notes: `${common}; client CPU ${rawCpu.toFixed(0)} µs/op; per-round ratio ${range}, median ${ratio.toFixed(3)}`,
    });
    ratios[o.ratioKey(w.name)] = ratio;
    o.progress(
      `${o.ratioKey(w.name)}: stateproof ${Math.round(sp)}/s, ${o.rawName} ${Math.round(raw)}/s, median per-round ratio ${ratio.toFixed(3)} (${range}); client CPU ${spCpu.toFixed(0)} vs ${rawCpu.toFixed(0)} µs/op`,
    );
  }
  return { rows, ratios };
}
