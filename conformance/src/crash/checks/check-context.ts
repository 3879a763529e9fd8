import type { Runtime } from '@stateproof/core';
import type { SurfaceKind } from '@stateproof/spec';
import type { CrashHistory } from '../crash-history.js';
import type { CrashSurfaces } from '../crash-surfaces.js';
import type { DrainProgress } from './queue-drain.js';

/**
 * What the dataspace check reads of a subscriber's event (a `DataspaceView` is one): the harness
 * keeps no more than this of each event of a run, not the asserted values.
 */
export type DataspaceEventRecord =
  | {
      /** A snapshot, an assertion made, or one that went away. */
      readonly type: 'snapshot' | 'asserted';
      /** The revision. */
      readonly revision: number;
    }
  | {
      /** An assertion went away. */
      readonly type: 'retracted';
      /** The revision of the change. */
      readonly revision: number;
      /** Its id. */
      readonly id: string;
      /** The session that owned it. */
      readonly session: string;
    }
  | {
      /** The subscriber lagged past its buffer. */
      readonly type: 'resync';
    };

/** What every per-kind check gets once the workers are gone. */
export interface CheckContext {
  /** A runtime of the harness's own, on a fresh adapter instance over the namespace. */
  readonly rt: Runtime;
  readonly surfaces: Partial<CrashSurfaces>;
  readonly history: CrashHistory;
  readonly leaseMs: number;
  /** Worker incarnations that were killed (`w<worker>.<incarnation>`). */
  readonly killed: ReadonlySet<string>;
  /** When each killed incarnation's sessions could start expiring: its kill, or the backend's return after it. */
  readonly reapableAt: ReadonlyMap<string, number>;
  /** How far past a lease the backend's clock may judge it (the adapter's expiry tolerance). */
  readonly expirySlackMs: number;
  /** Dataspace events seen by the harness's subscriber during the whole run. */
  readonly dataspaceEvents: readonly DataspaceEventRecord[];
  /** Waits out the leases of the dead (and the backend's clock tolerance). */
  waitForLeases(): Promise<void>;
  /** Told, about once a second, how a drain at the end of a check goes (the harness's progress display). */
  onDrain?(kind: SurfaceKind, progress: DrainProgress): void;
}

/** A per-kind crash check: the violations it found (empty when the kind kept its promises). */
export type CrashCheck = (ctx: CheckContext) => Promise<string[]>;
