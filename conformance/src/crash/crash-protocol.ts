import type { DurabilityClass, SurfaceKind } from '@stateproof/spec';
import type { TargetSpawn } from '../environment/conformance-target.js';

/** What a crash worker is told to do (passed as JSON in STATEPROOF_CRASH_CONFIG). */
export interface WorkerConfig {
  /** The namespace every worker of the run opens. */
  readonly namespace: string;
  /** Worker number (0..workers-1); its keys and streams carry it. */
  readonly worker: number;
  /** How many times this worker was started before (0 for the first start). */
  readonly incarnation: number;
  /** The kinds the worker exercises. */
  readonly kinds: readonly SurfaceKind[];
  /** The class of the surfaces it defines. */
  readonly cls: DurabilityClass;
  /** For a derived-projection run: the class of the source log the projections fold. */
  readonly sourceClass?: DurabilityClass;
  /** The run seed; the worker derives its own randomness from it. */
  readonly seed: number;
  /** How the worker opens an adapter of the target. */
  readonly spawn: TargetSpawn;
  /** Lease of claims, queue attempts and dataspace sessions, short so that a dead worker's leases end soon. */
  readonly leaseMs: number;
  /** Largest batch (log appends, enqueueMany): large batches make a kill in the middle of one likely. */
  readonly batchMax: number;
}

/** A message from a worker to the harness. Every acknowledged operation is reported before the worker goes on. */
export type WorkerMessage =
  | {
      /** The worker opened its adapter and surfaces and starts working. */
      readonly t: 'ready';
    }
  | {
      /** About to run an operation: from now on its effect may be present. */
      readonly t: 'invoke';
      /** The operation id, unique in the run. */
      readonly id: string;
      /** The kind of the surface it runs on. */
      readonly kind: SurfaceKind;
      /** The handle method. */
      readonly op: string;
      /** The key, stream or id it acts on. */
      readonly key: string;
      /** Its arguments. */
      readonly args: unknown;
    }
  | {
      /** The operation returned: its effect must survive. */
      readonly t: 'ack';
      /** The operation id. */
      readonly id: string;
      /** What it returned. */
      readonly result: unknown;
    }
  | {
      /** The operation failed with a typed error (busy, unavailable, lease lost): it may or may not have taken effect. */
      readonly t: 'fail';
      /** The operation id. */
      readonly id: string;
      /** The error code. */
      readonly code: string;
      /** The error message. */
      readonly message: string;
    }
  | {
      /** Something unexpected: a bug in the adapter or the worker. */
      readonly t: 'error';
      /** What happened. */
      readonly message: string;
    };

/** A message from the harness to a worker. */
export type HarnessMessage = {
  /** Start no further operation, close the runtime and exit. */
  readonly t: 'stop';
};

/** The environment variable that carries a worker's config. */
export const CRASH_CONFIG_ENV = 'STATEPROOF_CRASH_CONFIG';
