import type { DurabilityClass, SurfaceKind } from '@stateproof/spec';
import type { TargetSpawn } from '../environment/conformance-target.js';

/** What a crash worker is told to do (passed as JSON in STATEPROOF_CRASH_CONFIG). */
export interface WorkerConfig {
  readonly namespace: string;
  /** Worker number (0..workers-1); its keys and streams carry it. */
  readonly worker: number;
  /** How many times this worker was started before (0 for the first start). */
  readonly incarnation: number;
  readonly kinds: readonly SurfaceKind[];
  readonly cls: DurabilityClass;
  /** For a derived-projection run: the class of the source log the projections fold. */
  readonly sourceClass?: DurabilityClass;
  readonly seed: number;
  readonly spawn: TargetSpawn;
  /** Lease of claims, queue attempts and dataspace sessions, short so that a dead worker's leases end soon. */
  readonly leaseMs: number;
  /** Largest batch (log appends, enqueueMany): large batches make a kill in the middle of one likely. */
  readonly batchMax: number;
}

/** A message from a worker to the harness. Every acknowledged operation is reported before the worker goes on. */
export type WorkerMessage =
  | { readonly t: 'ready' }
  /** About to run an operation: from now on its effect may be present. */
  | {
      readonly t: 'invoke';
      readonly id: string;
      readonly kind: SurfaceKind;
      readonly op: string;
      readonly key: string;
      readonly args: unknown;
    }
  /** The operation returned: its effect must survive. */
  | { readonly t: 'ack'; readonly id: string; readonly result: unknown }
  /** The operation failed with a typed error (busy, unavailable, lease lost): it may or may not have taken effect. */
  | { readonly t: 'fail'; readonly id: string; readonly code: string; readonly message: string }
  /** Something unexpected: a bug in the adapter or the worker. */
  | { readonly t: 'error'; readonly message: string };

/** A message from the harness to a worker. */
export type HarnessMessage = { readonly t: 'stop' };

/** The environment variable that carries a worker's config. */
export const CRASH_CONFIG_ENV = 'STATEPROOF_CRASH_CONFIG';
