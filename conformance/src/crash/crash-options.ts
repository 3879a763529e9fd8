import type { DurabilityClass, SurfaceKind } from '@stateproof/spec';
import type { ConformanceTarget } from '../environment/conformance-target.js';

/** Options of `runCrash`. */
export interface CrashOptions {
  /** The target; it must have a `spawn` recipe (and `server` for `killBackend`). */
  readonly target: ConformanceTarget;
  /** Kinds to exercise (default: every kind the adapter supports with a restart-safe class). */
  readonly kinds?: readonly SurfaceKind[];
  /** The class under test (default: the first class the adapter claims that survives a process kill). */
  readonly cls?: DurabilityClass;
  /** SIGKILLs of worker processes (default 6). */
  readonly kills?: number;
  /** Worker processes (default 3: two stay live while a third is killed). */
  readonly workers?: number;
  /** The run seed (default: random); the report carries it, so that a run can be repeated. */
  readonly seed?: number;
  /** Leases of claims, attempts and sessions in the workload (default 500 ms). */
  readonly leaseMs?: number;
  /** Largest batch in the workload (default 200); kills are aimed into batches half of the time. */
  readonly batchMax?: number;
  /** Also SIGKILL the backend server (needs `target.server`) after some of the worker kills. */
  readonly killBackend?: boolean;
  /** Called with each step of the run, for a progress display. */
  readonly onProgress?: (event: CrashProgress) => void;
}

/** What the harness reports while it works. */
export type CrashProgress =
  | {
      /** The run starts. */
      readonly type: 'start';
      /** The kinds exercised. */
      readonly kinds: readonly SurfaceKind[];
      /** The class under test. */
      readonly cls: DurabilityClass;
      /** Worker processes. */
      readonly workers: number;
      /** Kills to come. */
      readonly kills: number;
      /** The run seed. */
      readonly seed: number;
    }
  | {
      /** A worker was killed. */
      readonly type: 'kill';
      /** Which kill (1-based). */
      readonly index: number;
      /** Kills in all. */
      readonly total: number;
      /** The worker killed, as `w<number>.<incarnation>`. */
      readonly worker: string;
      /** Whether the kill was aimed into a batch. */
      readonly midBatch: boolean;
      /** Operations acknowledged so far. */
      readonly acknowledged: number;
    }
  | {
      /** The backend was killed after worker kill `index` and is back after `downMs`. */
      readonly type: 'backend-kill';
      /** The worker kill it followed. */
      readonly index: number;
      /** How long it was down, in ms. */
      readonly downMs: number;
    }
  | {
      /** A check's final drain is under way (about once a second): the queue's backlog after the kills. */
      readonly type: 'drain';
      /** The kind drained. */
      readonly kind: SurfaceKind;
      /** Tasks still queued or running. */
      readonly remaining: number;
      /** Of which running. */
      readonly running: number;
      /** Tasks the drain completed so far. */
      readonly finished: number;
      /** Completions per second so far. */
      readonly ratePerSec: number;
      /** Time since the drain started, in ms. */
      readonly elapsedMs: number;
    }
  | {
      /** One kind was checked after the kills. */
      readonly type: 'check';
      /** The kind. */
      readonly kind: SurfaceKind;
      /** What the check found broken; empty when it passed. */
      readonly violations: readonly string[];
      /** How long the check took, in ms. */
      readonly durationMs: number;
    }
  | {
      /** The run is over. */
      readonly type: 'done';
      /** Its verdict. */
      readonly verdict: 'pass' | 'fail';
      /** Time spent, in ms. */
      readonly durationMs: number;
    };
